//! Help Center articles (issue 15).

#[allow(dead_code)] // used by the articles kind, which follows
mod body;
