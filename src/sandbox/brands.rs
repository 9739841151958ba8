//! Brands (`/brands`, 2.15+): read-only. The default brand comes first and its id is the
//! workspace's `id_code`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::routes::{ApiError, ApiResult, AppState, ok};
use super::store::Brand;

fn brand_json(brand: &Brand) -> Value {
    json!({
        "type": "brand",
        "id": brand.id,
        "name": brand.name,
        "is_default": brand.is_default,
        "created_at": brand.created_at,
        "updated_at": brand.updated_at,
        "help_center_id": brand.help_center_id,
        "default_address_settings_id": brand.default_address_settings_id,
    })
}

/// `GET /brands` (all brands, no pagination).
pub(crate) async fn list(State(shared): State<AppState>) -> ApiResult {
    shared.with_state(|ws| {
        let data: Vec<Value> = ws.brands.iter().map(brand_json).collect();
        ok(json!({"type": "list", "data": data}))
    })
}

/// `GET /brands/{id}`: 404 `not_found` "Brand not found" for an unknown id.
pub(crate) async fn show(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult {
    shared.with_state(|ws| {
        let brand =
            ws.brands.iter().find(|b| b.id == id).ok_or_else(|| {
                ApiError::new(StatusCode::NOT_FOUND, "not_found", "Brand not found")
            })?;
        ok(brand_json(brand))
    })
}
