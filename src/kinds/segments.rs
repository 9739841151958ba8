//! Segments: read-only in Intercom, so a declared segment must exist (a manual step when it
//! does not) and nothing is ever written. Its rules cannot be read or written through the API.

use crate::model::{Kind, Segment};

super::listed::listed_kind! {
    /// Segments.
    Segments = SegmentList(Segment, Kind::Segments) in "Contacts → Segments",
    name: name, read: segments(),
    section: "Segments. Read-only in Intercom: a declared segment must exist (its rules cannot \
        be\nread or written through the API).",
}
