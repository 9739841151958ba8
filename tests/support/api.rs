//! A small Intercom HTTP client for the sandbox tests: sends the token and `Intercom-Version`,
//! and returns status, headers and the JSON body (or `Value::Null` for an empty body).

use reqwest::header::HeaderMap;
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;

/// One answer.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    pub body: Value,
}

impl Reply {
    /// The first error's code, for error answers.
    pub fn code(&self) -> &str {
        self.body["errors"][0]["code"].as_str().unwrap_or("")
    }

    /// The first error's message.
    pub fn message(&self) -> &str {
        self.body["errors"][0]["message"].as_str().unwrap_or("")
    }

    /// A header as a string.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the status and that the body is Intercom's error list with this code.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "{}", self.text);
        assert_eq!(self.body["type"], "error.list", "{}", self.text);
        assert_eq!(self.code(), code, "{}", self.text);
        let request_id = self.body["request_id"].as_str().unwrap_or("");
        assert_eq!(
            request_id.len(),
            36,
            "request_id should be UUID-shaped: {}",
            self.text
        );
    }

    /// Asserts Intercom's answer to a missing or wrong token: 401 `unauthorized`, "Access Token
    /// Invalid", and no rate-limit headers.
    #[track_caller]
    pub fn assert_unauthorized(&self) {
        self.assert_error(401, "unauthorized");
        assert_eq!(self.message(), "Access Token Invalid", "{}", self.text);
        assert!(self.header("x-ratelimit-limit").is_none(), "{}", self.text);
    }

    /// Asserts Intercom's answer to an endpoint the requested `Intercom-Version` lacks: 400
    /// `intercom_version_invalid`, "Requested resource is not available in current API version".
    #[track_caller]
    pub fn assert_not_in_version(&self) {
        self.assert_error(400, "intercom_version_invalid");
        assert_eq!(
            self.message(),
            "Requested resource is not available in current API version",
            "{}",
            self.text
        );
    }

    /// Asserts a 200 answer that carries the three rate-limit headers.
    #[track_caller]
    pub fn assert_ok_with_rate_limit_headers(&self) {
        assert_eq!(self.status, 200, "{}", self.text);
        for header in [
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
        ] {
            assert!(self.header(header).is_some(), "{header} missing");
        }
    }

    /// Asserts the status and returns the body.
    #[track_caller]
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(self.status.as_u16(), status, "{}", self.text);
        self.body
    }
}

/// A client bound to one base URL, token and API version.
#[derive(Debug, Clone)]
pub struct Api {
    pub client: Client,
    pub base: String,
    pub token: Option<String>,
    pub version: Option<String>,
}

impl Api {
    /// A client for `base` with token `token` and `Intercom-Version: 2.16`.
    pub fn new(base: &str, token: &str) -> Api {
        Api {
            client: Client::builder()
                .timeout(std::time::Duration::from_secs(60))
                .build()
                .unwrap(),
            base: base.trim_end_matches('/').to_string(),
            token: Some(token.to_string()),
            version: Some("2.16".to_string()),
        }
    }

    /// The same client with another `Intercom-Version` (`None`: no header).
    pub fn with_version(&self, version: Option<&str>) -> Api {
        Api {
            version: version.map(str::to_string),
            ..self.clone()
        }
    }

    /// The same client with another token (`None`: no `Authorization` header).
    pub fn with_token(&self, token: Option<&str>) -> Api {
        Api {
            token: token.map(str::to_string),
            ..self.clone()
        }
    }

    /// Sends one request.
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("Accept", "application/json");
        if let Some(token) = &self.token {
            req = req.header("Authorization", format!("Bearer {token}"));
        }
        if let Some(version) = &self.version {
            req = req.header("Intercom-Version", version);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap();
        let body = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::Null)
        };
        Reply {
            status,
            headers,
            text,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, None).await
    }
}

/// Finds the item of `list` whose `key` equals `value`.
#[track_caller]
pub fn find<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|item| item[key] == value)
        .unwrap_or_else(|| panic!("no item with {key} = {value} in {list}"))
}

/// Whether an item of `list` has `key` equal to `value`.
pub fn has<T: Copy>(list: &Value, key: &str, value: T) -> bool
where
    Value: PartialEq<T>,
{
    list.as_array()
        .unwrap()
        .iter()
        .any(|item| item[key] == value)
}

/// The string id of the item of `list` whose `key` equals `value`.
#[track_caller]
pub fn id_of(list: &Value, key: &str, value: &str) -> String {
    match &find(list, key, value)["id"] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
