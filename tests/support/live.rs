//! Typed views of a read workspace for assertions: `live.tags()` instead of asking the
//! registry's storage for each kind's objects by type.

use intercom_iac::model::{
    Audience, ConversationAttribute, DataAttribute, Kind, Live, OfficeHoursSchedule, Segment, Tag,
    Team,
};

/// Each kind's live objects, typed.
pub trait LiveExt {
    /// Contact and company attributes (contact first).
    fn data_attributes(&self) -> Vec<&DataAttribute>;
    /// Conversation attributes.
    fn conversation_attributes(&self) -> &[ConversationAttribute];
    /// Tags.
    fn tags(&self) -> &[Tag];
    /// Teams.
    fn teams(&self) -> &[Team];
    /// Segments.
    fn segments(&self) -> &[Segment];
    /// Audiences.
    fn audiences(&self) -> &[Audience];
    /// Office-hours schedules.
    fn office_hours(&self) -> &[OfficeHoursSchedule];
}

impl LiveExt for Live {
    fn data_attributes(&self) -> Vec<&DataAttribute> {
        self.objects::<DataAttribute>(Kind::ContactAttributes)
            .iter()
            .chain(self.objects::<DataAttribute>(Kind::CompanyAttributes))
            .collect()
    }
    fn conversation_attributes(&self) -> &[ConversationAttribute] {
        self.objects(Kind::ConversationAttributes)
    }
    fn tags(&self) -> &[Tag] {
        self.objects(Kind::Tags)
    }
    fn teams(&self) -> &[Team] {
        self.objects(Kind::Teams)
    }
    fn segments(&self) -> &[Segment] {
        self.objects(Kind::Segments)
    }
    fn audiences(&self) -> &[Audience] {
        self.objects(Kind::Audiences)
    }
    fn office_hours(&self) -> &[OfficeHoursSchedule] {
        self.objects(Kind::OfficeHours)
    }
}
