//! Content data exports (2.16): `POST /export/content/data` starts a job for a range of dates
//! (`created_at_after`, `created_at_before`, both required Unix timestamps), `GET
//! /export/content/data/{job_identifier}` shows it and `POST /export/cancel/{job_identifier}`
//! cancels it. A job is `pending` when created and `completed` from its first read on (with a
//! download URL the sandbox does not serve); the export is what the activity log records as
//! `app_data_export` (see `activity_log`), so `audit` has a real export to report.

use axum::body::Bytes;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::routes::{ApiError, ApiResult, AppState, json_object, ok};
use super::store::uuid_like;

/// One export job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DataExport {
    pub job_identifier: String,
    /// `pending`, `completed` or `canceled`.
    pub status: String,
    pub created_at_after: i64,
    pub created_at_before: i64,
}

impl DataExport {
    fn to_json(&self) -> Value {
        let completed = self.status == "completed";
        json!({
            "job_identifier": self.job_identifier,
            "status": self.status,
            "download_url": if completed {
                format!("https://api.intercom.io/download/content/data/{}", self.job_identifier)
            } else {
                String::new()
            },
            // Two days after completion, as the description says; the sandbox's clock is fixed.
            "download_expires_at": if completed { "1700172800".to_string() } else { String::new() },
        })
    }
}

/// A required Unix timestamp of the request body.
fn timestamp(body: &serde_json::Map<String, Value>, name: &str) -> Result<i64, ApiError> {
    body.get(name)
        .and_then(Value::as_i64)
        .ok_or_else(|| ApiError::invalid(format!("{name} is required: a UNIX timestamp")))
}

/// `POST /export/content/data`.
pub(crate) async fn create(State(shared): State<AppState>, body: Bytes) -> ApiResult {
    let body = json_object(&body)?;
    let after = timestamp(&body, "created_at_after")?;
    let before = timestamp(&body, "created_at_before")?;
    if after > before {
        return Err(ApiError::invalid(
            "created_at_after must not be after created_at_before",
        ));
    }
    let job = shared.with_state(|ws| {
        let job = DataExport {
            job_identifier: uuid_like(0xda7a_0000, ws.data_exports.len() as u64 + 1)
                .replace('-', "")
                .chars()
                .take(16)
                .collect(),
            status: "pending".into(),
            created_at_after: after,
            created_at_before: before,
        };
        ws.data_exports.push(job.clone());
        job
    });
    ok(job.to_json())
}

/// The job `id` names, changed by `change` (404 when there is none).
fn with_job(shared: &AppState, id: &str, change: impl FnOnce(&mut DataExport)) -> ApiResult {
    shared
        .with_state(|ws| {
            let job = ws
                .data_exports
                .iter_mut()
                .find(|j| j.job_identifier == id)?;
            change(job);
            Some(job.to_json())
        })
        .map_or_else(|| Err(ApiError::not_found()), ok)
}

/// `GET /export/content/data/{job_identifier}`: a pending job is done once read.
pub(crate) async fn show(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult {
    with_job(&shared, &id, |job| {
        if job.status == "pending" {
            job.status = "completed".into();
        }
    })
}

/// `POST /export/cancel/{job_identifier}`.
pub(crate) async fn cancel(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult {
    with_job(&shared, &id, |job| job.status = "canceled".into())
}
