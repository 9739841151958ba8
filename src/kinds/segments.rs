//! Segments: read-only in Intercom, so a declared segment must exist (a manual step when it
//! does not) and nothing is ever written. Its rules cannot be read or written through the API.

use super::listed::{Listed, ReadOnly};
use crate::intercom::{self, Client, FetchError};
use crate::model::{Kind, Segment};

/// Segments.
pub type Segments = ReadOnly<SegmentList>;

/// The description of the segments kind.
pub struct SegmentList;

impl Listed for SegmentList {
    type Live = Segment;
    const KIND: Kind = Kind::Segments;
    const SECTION: &'static str = "Segments. Read-only in Intercom: a declared segment must exist (its rules cannot be\nread or written through the API).";
    const CREATE_IN: &'static str = "Contacts → Segments";

    fn name(live: &Segment) -> &str {
        &live.name
    }

    async fn read(client: Client) -> Result<Vec<Segment>, FetchError> {
        intercom::read::segments(&client).await
    }
}
