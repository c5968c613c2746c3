//! SQL for matters, participants, invitations, the timeline and notifications.

use chrono::{DateTime, Datelike, Utc};

use super::kind::{MatterKind, split_roles};
use super::model::*;
use crate::Result;
use crate::auth::audit::audit;
use crate::auth::audit::{AuditEvent, Who};
use crate::auth::{Actor, OrgRole};
use crate::db::Store;
use crate::db::sql::{Param, Sql};
use crate::db::{bind_params, dispatch, transaction};
use crate::ids::{MatterId, new_id, now};

pub(super) const MATTER_COLUMNS: &str = "m.id, m.kind, m.owner_org_id, m.reference, m.title, m.status, \
     m.created_at, m.updated_at, o.slug AS owner_slug, o.name_en AS owner_name_en, \
     o.name_zh AS owner_name_zh";

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct MatterRow {
    pub id: String,
    pub kind: String,
    pub owner_org_id: String,
    pub reference: String,
    pub title: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub owner_slug: String,
    pub owner_name_en: String,
    pub owner_name_zh: String,
}

/// A change to a matter: who makes it (for the audit log), the acting user, the matter, and the
/// public base URL the links in its notifications point to.
#[derive(Clone, Copy)]
pub struct Change<'a> {
    pub who: &'a Who,
    pub actor_id: &'a str,
    pub matter: &'a MatterRow,
    pub base: &'a str,
}

/// A row of "my matters": the matter, the size of the whole list, and the reader's role.
#[derive(sqlx::FromRow)]
struct MineRow {
    #[sqlx(flatten)]
    matter: MatterRow,
    total: i64,
    my_role: Option<String>,
}

impl MatterRow {
    pub fn kind(&self) -> MatterKind {
        // Rows are written through MatterKind; a kind this build lacks reads as general,
        // whose rules are the narrowest.
        MatterKind::parse(&self.kind).unwrap_or(MatterKind::General)
    }

    pub fn view(&self, my_role: Option<String>, staff: bool) -> Matter {
        Matter {
            id: self.id.clone(),
            kind: self.kind(),
            reference: self.reference.clone(),
            title: self.title.clone(),
            status: self.status.clone(),
            owner: OwnerRef {
                id: self.owner_org_id.clone(),
                slug: self.owner_slug.clone(),
                name_en: self.owner_name_en.clone(),
                name_zh: self.owner_name_zh.clone(),
            },
            created_at: self.created_at,
            updated_at: self.updated_at,
            my_role,
            staff,
        }
    }
}

/// A participant as notifications need them: who, and how to write to them.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct Member {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub locale: String,
    pub time_zone: String,
    pub added_at: DateTime<Utc>,
}

/// One participant, as [`Member`].
pub(super) const MEMBER_SQL: &str = "SELECT p.user_id, u.name, u.email, p.role, u.locale, u.time_zone, p.added_at \
     FROM matter_participants p JOIN users u ON u.id = p.user_id WHERE p.matter_id = $1 AND p.user_id = $2";

/// A user's own settings for reading times and mail.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct Preferences {
    pub locale: String,
    pub time_zone: String,
}

/// The short code of an organization for reference numbers: its slug's initials when the
/// slug has several parts (`cq-arbitration-commission` → `CAC`), else the slug itself.
pub fn reference_code(slug: &str) -> String {
    let parts: Vec<&str> = slug.split('-').filter(|p| !p.is_empty()).collect();
    let code: String = if parts.len() > 1 {
        parts.iter().filter_map(|p| p.chars().next()).collect()
    } else {
        slug.chars()
            .filter(char::is_ascii_alphanumeric)
            .take(8)
            .collect()
    };
    let code = code.to_ascii_uppercase();
    if code.is_empty() { "M".into() } else { code }
}

pub fn reference(code: &str, year: i32, seq: i64) -> String {
    format!("{code}-{year}-{seq:04}")
}

pub use super::store_events::*;

/// Writes a timeline event on an open transaction.
macro_rules! matter_event {
    ($tx:expr, $matter:expr, $actor:expr, $kind:expr, $object:expr, $args:expr, $visible:expr) => {{
        let visible: String = $visible;
        sqlx::query($crate::matters::store::EVENT_SQL)
            .bind($crate::ids::new_id())
            .bind($matter)
            .bind($crate::ids::now())
            .bind($actor)
            .bind($kind)
            .bind($object)
            .bind($args)
            .bind(visible)
            .execute(&mut *$tx)
            .await?;
        sqlx::query($crate::matters::store::TOUCH_SQL)
            .bind($crate::ids::now())
            .bind($matter)
            .execute(&mut *$tx)
            .await?;
    }};
}
pub(crate) use matter_event;

/// Tells one participant about an event: the in-app notification and its email, in their
/// language, written on the open transaction (so both exist exactly when the change commits).
macro_rules! notify {
    ($tx:expr, $member:expr, $matter:expr, $kind:expr, $args:expr, $link:expr, $base:expr) => {{
        let member: &$crate::matters::store::Member = $member;
        let args: String = $args;
        let link: String = $link;
        for sql in $crate::matters::store::notice(member, $matter, $kind, &args, &link, $base) {
            $crate::db::execute_sql!($tx, sql);
        }
    }};
}
pub(crate) use notify;

/// [`notify!`] for each of `recipients` (an iterator of `&Member`), with the same arguments
/// and link.
macro_rules! notify_each {
    ($tx:expr, $recipients:expr, $matter:expr, $kind:expr, $args:expr, $link:expr, $base:expr) => {{
        let args: String = $args;
        let link: String = $link;
        for member in $recipients {
            $crate::matters::store::notify!(
                $tx,
                member,
                $matter,
                $kind,
                args.clone(),
                link.clone(),
                $base
            );
        }
    }};
}
pub(crate) use notify_each;

/// The email of a notification: its text as subject, the link, and why it was sent.
pub fn notice_mail(
    member: &Member,
    matter_id: &str,
    kind: &str,
    args: &str,
    link: &str,
    base: &str,
) -> crate::mail::Mail {
    let subject = super::text::render("notice", kind, args, &member.locale);
    let footer = rust_i18n::t!("matters.email_footer", locale = member.locale.as_str());
    let body = format!("{subject}\n\n{base}{link}\n\n{footer}\n");
    crate::mail::Mail::new(
        &member.email,
        &member.name,
        &member.locale,
        format!("[Corridor] {subject}"),
        body,
    )
    .about("matter", matter_id)
}

impl Store {
    pub async fn preferences(&self, user_id: &str) -> Result<Preferences> {
        let sql = "SELECT locale, time_zone FROM users WHERE id = $1";
        let row = dispatch!(self, |pool| sqlx::query_as::<_, Preferences>(sql)
            .bind(user_id)
            .fetch_optional(pool)
            .await?);
        Ok(row.unwrap_or(Preferences {
            locale: "en".into(),
            time_zone: "UTC".into(),
        }))
    }

    pub async fn set_preferences(
        &self,
        who: &Who,
        user_id: &str,
        prefs: &Preferences,
    ) -> Result<()> {
        transaction!(self, |tx| {
            sqlx::query("UPDATE users SET locale = $1, time_zone = $2 WHERE id = $3")
                .bind(&prefs.locale)
                .bind(&prefs.time_zone)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            audit!(
                tx,
                AuditEvent::by(who, "user.preferences", "user", user_id).detail(format!(
                    "locale={} time_zone={}",
                    prefs.locale, prefs.time_zone
                ))
            );
        });
        Ok(())
    }

    /// Opens a matter with the opener as its first participant, in the kind's opener role;
    /// allocates the reference.
    pub async fn create_matter(
        &self,
        who: &Who,
        opener_id: &str,
        kind: MatterKind,
        owner_org_id: &str,
        owner_slug: &str,
        title: &str,
    ) -> Result<MatterId> {
        let role = kind.rules().opener_role;
        self.create_matter_as(who, opener_id, role, kind, owner_org_id, owner_slug, title)
            .await
    }

    /// [`Store::create_matter`] with the opener in `opener_role` (a party who files for
    /// itself is the claimant, its counsel the claimant's counsel).
    #[allow(clippy::too_many_arguments)]
    pub async fn create_matter_as(
        &self,
        who: &Who,
        opener_id: &str,
        opener_role: &str,
        kind: MatterKind,
        owner_org_id: &str,
        owner_slug: &str,
        title: &str,
    ) -> Result<MatterId> {
        let id = new_id();
        let at = now();
        let year = at.year();
        let code = reference_code(owner_slug);
        transaction!(self, |tx| {
            // The upsert takes the counter row's lock, so two openings never share a number.
            let seq: i64 = sqlx::query_scalar(
                "INSERT INTO matter_counters (owner_org_id, year, last_seq) VALUES ($1, $2, 1) \
                 ON CONFLICT (owner_org_id, year) DO UPDATE SET last_seq = matter_counters.last_seq + 1 \
                 RETURNING CAST(last_seq AS BIGINT)",
            )
            .bind(owner_org_id)
            .bind(year)
            .fetch_one(&mut *tx)
            .await?;
            let reference = reference(&code, year, seq);
            sqlx::query(
                "INSERT INTO matters (id, kind, owner_org_id, reference, title, status, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $7)",
            )
            .bind(&id)
            .bind(kind.as_str())
            .bind(owner_org_id)
            .bind(&reference)
            .bind(title)
            .bind(opener_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO matter_participants (matter_id, user_id, role, added_by, added_at) \
                 VALUES ($1, $2, $3, $2, $4)",
            )
            .bind(&id)
            .bind(opener_id)
            .bind(opener_role)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            matter_event!(
                tx,
                &id,
                Some(opener_id),
                "opened",
                None::<String>,
                super::text::args(&[("reference", &reference), ("title", title)]),
                String::new()
            );
            audit!(
                tx,
                AuditEvent::by(who, "matter.create", "matter", &id)
                    .in_org(Some(owner_org_id))
                    .detail(format!("kind={kind} reference={reference}"))
            );
        });
        Ok(MatterId::from_stored(id))
    }

    pub async fn change_matter(
        &self,
        who: &Who,
        actor_id: &str,
        matter: &MatterRow,
        title: &str,
        status: &str,
    ) -> Result<()> {
        transaction!(self, |tx| {
            sqlx::query(
                "UPDATE matters SET title = $1, status = $2, updated_at = $3 WHERE id = $4",
            )
            .bind(title)
            .bind(status)
            .bind(now())
            .bind(&matter.id)
            .execute(&mut *tx)
            .await?;
            if status != matter.status {
                matter_event!(
                    tx,
                    &matter.id,
                    Some(actor_id),
                    "status",
                    None::<String>,
                    super::text::args(&[("status", status)]),
                    String::new()
                );
            }
            audit!(
                tx,
                AuditEvent::by(who, "matter.update", "matter", &matter.id)
                    .in_org(Some(&matter.owner_org_id))
                    .detail(format!("status={status}"))
            );
        });
        Ok(())
    }

    /// "My matters": where the actor is a participant, and (for staff roles) every matter of
    /// the kinds that name them at their organizations. Newest first.
    pub async fn my_matters(
        &self,
        actor: &Actor,
        kind: Option<MatterKind>,
        status: Option<&str>,
        role: Option<&str>,
        page: i64,
        per_page: i64,
    ) -> Result<(Vec<(MatterRow, Option<String>)>, i64)> {
        let ids = mine_ids(actor, kind, status, role);
        // One round trip: the page of ids is cut before any matter is read (otherwise
        // PostgreSQL joins every filtered id to matters and sorts them all to keep 25), the
        // total rides along as a window count over the same ids, and the reader's role comes
        // from a join. A separate count was a second scan of up to 10,000 index entries.
        let mut list = Sql::new(&format!(
            "SELECT {MATTER_COLUMNS}, page.total, r.role AS my_role FROM \
             (SELECT mine.id, COUNT(*) OVER () AS total FROM ("
        ));
        list.params = ids.params.clone();
        list.push(&ids.text)
            // Bound, not written as numbers (see `Sql::limit`): the best plan depends on the
            // user, who may take part in ten matters or ten thousand.
            .push(") AS mine ORDER BY mine.id DESC LIMIT ")
            .bind(Param::Int(per_page))
            .push(" OFFSET ")
            .bind(Param::Int((page - 1) * per_page))
            .push(
                ") AS page JOIN matters m ON m.id = page.id \
                 JOIN organizations o ON o.id = m.owner_org_id \
                 LEFT JOIN matter_participants r ON r.matter_id = m.id AND r.user_id = ",
            )
            .bind_text(&actor.user_id)
            .push(" ORDER BY m.id DESC");
        let rows: Vec<MineRow> = dispatch!(self, |pool| bind_params!(
            sqlx::query_as::<_, MineRow>(sqlx::AssertSqlSafe(list.text.clone())),
            &list.params
        )
        .fetch_all(pool)
        .await?);
        let total = match rows.first() {
            Some(row) => row.total,
            // A page past the end carries no window count; only then is it counted apart.
            None if page > 1 => {
                let mut count = Sql::new("SELECT COUNT(*) FROM (");
                count.params = ids.params.clone();
                count.push(&ids.text).push(") AS mine");
                dispatch!(self, |pool| bind_params!(
                    sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count.text.clone())),
                    &count.params
                )
                .fetch_one(pool)
                .await?)
            }
            None => 0,
        };
        Ok((
            rows.into_iter().map(|r| (r.matter, r.my_role)).collect(),
            total,
        ))
    }
}

/// The ids of the matters `actor` sees (as a participant, or as staff of the owning
/// organization for kinds whose staff see every matter), filtered, as a subquery returning
/// `id`. Its placeholders are numbered from `$1`: append it before any other binding.
pub fn mine_ids(
    actor: &Actor,
    kind: Option<MatterKind>,
    status: Option<&str>,
    role: Option<&str>,
) -> Sql {
    // Staff branches: (organization, kind) pairs where the actor holds a staff role.
    let mut staff: Vec<(String, MatterKind)> = Vec::new();
    if role.is_none() {
        for m in &actor.memberships {
            for k in MatterKind::ALL {
                if kind.is_none_or(|want| want == *k) && k.rules().staff_roles.contains(&m.role) {
                    staff.push((m.organization_id.clone(), *k));
                }
            }
        }
    }
    // The participant branch reads only matter_participants: its copies of the matter's
    // kind and status (kept by triggers, migration 0007) and the index on (user_id,
    // matter_status, matter_kind, role, matter_id) answer every filter without visiting
    // the user's matters one by one.
    let mut ids =
        Sql::new("SELECT p.matter_id AS id FROM matter_participants p WHERE p.user_id = ");
    ids.bind_text(&actor.user_id);
    if let Some(role) = role {
        ids.push(" AND p.role = ").bind_text(role);
    }
    if let Some(kind) = kind {
        ids.push(" AND p.matter_kind = ").bind_text(kind.as_str());
    }
    if let Some(status) = status {
        ids.push(" AND p.matter_status = ").bind_text(status);
    }
    for (org, k) in &staff {
        ids.push(" UNION SELECT m.id FROM matters m WHERE m.owner_org_id = ")
            .bind_text(org)
            .push(" AND m.kind = ")
            .bind_text(k.as_str());
        filters(&mut ids, None, status);
    }
    ids
}

fn filters(sql: &mut Sql, kind: Option<MatterKind>, status: Option<&str>) {
    if let Some(kind) = kind {
        sql.push(" AND m.kind = ").bind_text(kind.as_str());
    }
    if let Some(status) = status {
        sql.push(" AND m.status = ").bind_text(status);
    }
}

/// Members a notification about something visible to `roles` reaches (all when empty), except
/// the actor.
pub fn recipients<'a>(members: &'a [Member], roles: &[String], actor_id: &str) -> Vec<&'a Member> {
    members
        .iter()
        .filter(|m| m.user_id != actor_id)
        .filter(|m| roles.is_empty() || roles.contains(&m.role))
        .collect()
}

/// Whether `role` at an organization is one a kind names as staff (for pages listing matters).
pub fn is_staff_role(kind: MatterKind, role: OrgRole) -> bool {
    kind.rules().staff_roles.contains(&role)
}

pub fn visible(text: &str) -> Vec<String> {
    split_roles(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_codes_come_from_the_slug() {
        assert_eq!(reference_code("cqac"), "CQAC");
        assert_eq!(reference_code("cq-arbitration-commission"), "CAC");
        assert_eq!(reference_code("---"), "M");
        assert_eq!(reference("CQAC", 2026, 7), "CQAC-2026-0007");
        assert_eq!(reference("CQAC", 2026, 12345), "CQAC-2026-12345");
    }
}
