//! The statements every change of a matter writes besides its own: the timeline event (which
//! also marks the matter changed) and the notices to participants. Built once as `Sql`, run by
//! the `matter_event!` and `notify!` macros on an open transaction or added to a
//! [`Writes`](crate::db::writes::Writes).

use super::store::{Member, notice_mail};
use crate::db::sql::Sql;

pub const EVENT_SQL: &str = "INSERT INTO matter_events \
     (id, matter_id, at, actor_id, kind, object_id, summary, visible_to) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
/// Every event marks its matter changed ("my matters" sorts by it).
pub const TOUCH_SQL: &str = "UPDATE matters SET updated_at = $1 WHERE id = $2";
pub const NOTIFICATION_SQL: &str = "INSERT INTO notifications \
     (id, user_id, matter_id, kind, summary, link, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// A timeline event as a change's statements ([`matter_event!`] on an open transaction).
pub struct Event<'a> {
    pub matter: &'a str,
    pub actor: Option<&'a str>,
    pub kind: &'a str,
    pub object: Option<&'a str>,
    pub args: String,
    pub visible_to: String,
}

impl Event<'_> {
    /// The event's row and the matter's new `updated_at`.
    pub fn statements(self) -> [Sql; 2] {
        let at = crate::ids::now();
        let event = Sql::statement(
            EVENT_SQL,
            vec![
                crate::ids::new_id().into(),
                self.matter.into(),
                at.into(),
                self.actor.into(),
                self.kind.into(),
                self.object.into(),
                self.args.into(),
                self.visible_to.into(),
            ],
        );
        [
            event,
            Sql::statement(TOUCH_SQL, vec![at.into(), self.matter.into()]),
        ]
    }
}

/// The statements that tell one participant about an event: the in-app notification and its
/// email, in their language (run by [`notify!`] on an open transaction, or added to a change).
pub fn notice(
    member: &Member,
    matter: &str,
    kind: &str,
    args: &str,
    link: &str,
    base: &str,
) -> [Sql; 2] {
    let notification = Sql::statement(
        NOTIFICATION_SQL,
        vec![
            crate::ids::new_id().into(),
            (&member.user_id).into(),
            Some(matter).into(),
            kind.into(),
            args.into(),
            link.into(),
            crate::ids::now().into(),
        ],
    );
    let (_mail_id, mail) = notice_mail(member, matter, kind, args, link, base).insert();
    [notification, mail]
}
