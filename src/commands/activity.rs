//! Reading the admin activity log for a command: every entry of a period for `audit`, and the
//! recent activity of the kinds the log covers for `drift`, which never fails a run (a log the
//! token may not read is reported as unavailable).

use super::session::Session;
use crate::audit::RecentActivity;
use crate::intercom;
use crate::model::Kind;
use crate::model::activity::ActivityEntry;

/// Every entry from `since` to `until` (Unix seconds), of `event_types` only when given.
pub(super) async fn read_activity(
    session: &Session,
    since: i64,
    until: Option<i64>,
    event_types: Option<&[&str]>,
) -> anyhow::Result<Vec<ActivityEntry>> {
    Ok(intercom::read::activity_logs(&session.client, since, until, event_types).await?)
}

/// The recent activity of the covered kinds among `kinds` since `since`, in one read; `None`
/// when the log covers none of them (then nothing is read).
pub(super) async fn recent_activity(
    session: &Session,
    kinds: impl IntoIterator<Item = Kind>,
    since: i64,
) -> Option<RecentActivity> {
    let covered = RecentActivity::covered(kinds);
    if covered.is_empty() {
        return None;
    }
    let types = RecentActivity::event_types(&covered);
    Some(
        match read_activity(session, since, None, Some(&types)).await {
            Ok(entries) => RecentActivity::summarise(since, covered, &entries),
            Err(e) => {
                let first = e.to_string().lines().next().unwrap_or_default().to_string();
                RecentActivity::unavailable(
                    since,
                    covered,
                    format!(
                        "the activity log cannot be read ({first}); drift is reported without it"
                    ),
                )
            }
        },
    )
}
