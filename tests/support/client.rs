//! The library's own Intercom client, pointed at a local endpoint (a sandbox, in process or
//! served, or a test server).

use intercom_iac::intercom::{Client, ClientOptions, Target, Token};
use reqwest::Url;

/// A client for `url` (`http://127.0.0.1:PORT`) with `token` and `options`.
#[track_caller]
pub fn endpoint_client(url: &str, token: &str, options: ClientOptions) -> Client {
    let target =
        Target::Endpoint(Url::parse(url).unwrap_or_else(|e| panic!("not a URL ({e}): {url}")));
    Client::with_options(&target, Token::new(token), options)
        .unwrap_or_else(|e| panic!("no client for {url}: {e}"))
}
