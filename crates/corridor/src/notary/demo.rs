//! The demo notary offices' settings (fictional, like all demo data): the abbreviation and series
//! of each pilot office's certificate numbers, and one office that holds sessions on the
//! applicant's own device. Loaded by `corridor demo` after the directory.

use super::store::OfficeRow;
use crate::auth::audit::Who;
use crate::db::Store;
use crate::ids::OrganizationKey;

/// (slug, abbreviation, series, own-device sessions)
const OFFICES: &[(&str, &str, &str, bool)] = &[
    ("cq-mingjian-notary", "渝明", "证字", false),
    ("cq-xinheng-notary", "渝信", "证字", false),
    ("cq-zhengyuan-notary", "渝正", "外证字", false),
    ("cq-chengxin-notary", "渝澄", "证字", true),
];

pub async fn load(store: &Store, who: &Who) -> anyhow::Result<()> {
    for (slug, abbreviation, series, own_device) in OFFICES {
        let key = OrganizationKey::parse(slug).ok_or_else(|| anyhow::anyhow!("bad slug {slug}"))?;
        let org = store
            .find_organization(&key)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo notary settings: unknown office {slug}"))?;
        store
            .set_notary_office(
                who,
                &OfficeRow {
                    organization_id: org.id,
                    abbreviation: abbreviation.to_string(),
                    series: series.to_string(),
                    own_device_sessions: *own_device,
                },
            )
            .await?;
    }
    Ok(())
}
