//! Page-numbered lists (`?page=&per_page=`), in the two wrappers Intercom answers them in: the
//! flat one (`total_count`, `page`, `per_page`, `total_pages` beside `data`: audiences, content
//! snippets) and the one with a `pages` object (help center, internal articles).

use std::collections::HashMap;

use serde_json::{Value, json};

use super::routes::ApiError;

/// A whole-number query parameter, `default` when absent.
pub(crate) fn page_param(
    query: &HashMap<String, String>,
    name: &str,
    default: usize,
) -> Result<usize, ApiError> {
    match query.get(name) {
        None => Ok(default),
        Some(raw) => raw
            .parse::<usize>()
            .map_err(|_| ApiError::invalid(format!("{name} must be a positive integer"))),
    }
}

/// The page a query asks for: `page` from 1, `per_page` (default `default`) from 1 to `max`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    page: usize,
    per_page: usize,
}

impl Window {
    /// Reads `page` and `per_page` from `query`.
    pub fn of(
        query: &HashMap<String, String>,
        default: usize,
        max: usize,
    ) -> Result<Self, ApiError> {
        Ok(Window {
            page: page_param(query, "page", 1)?.max(1),
            per_page: page_param(query, "per_page", default)?.clamp(1, max),
        })
    }

    /// The items of this page, as JSON.
    pub fn take<T>(self, items: impl Iterator<Item = T>, json: impl Fn(T) -> Value) -> Vec<Value> {
        items
            .skip((self.page - 1).saturating_mul(self.per_page))
            .take(self.per_page)
            .map(json)
            .collect()
    }

    fn total_pages(self, total: usize, at_least: usize) -> usize {
        total.div_ceil(self.per_page).max(at_least)
    }

    /// The flat wrapper; `at_least`: the fewest `total_pages` answered (0 or 1).
    pub fn flat(self, total: usize, data: Vec<Value>, at_least: usize) -> Value {
        json!({
            "type": "list",
            "data": data,
            "total_count": total,
            "page": self.page,
            "per_page": self.per_page,
            "total_pages": self.total_pages(total, at_least),
        })
    }

    /// The wrapper with a `pages` object (at least one page).
    pub fn with_pages(self, total: usize, data: Vec<Value>) -> Value {
        json!({
            "type": "list",
            "pages": {
                "type": "pages",
                "page": self.page,
                "per_page": self.per_page,
                "total_pages": self.total_pages(total, 1),
            },
            "total_count": total,
            "data": data,
        })
    }
}
