//! A draft disclosure in Chinese and English, built from the screens' findings, for the arbitrator
//! to confirm or correct (it states only what the records show; the arbitrator knows more).

use serde::Serialize;

use super::{Candidate, Case, Finding, List, Neutrality, Verdict};

#[derive(Clone, Debug, Serialize)]
pub struct DisclosureItem {
    pub code: &'static str,
    pub en: String,
    pub zh: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Disclosure {
    /// Always `draft`: the arbitrator confirms or corrects it.
    pub status: &'static str,
    pub arbitrator: String,
    pub items: Vec<DisclosureItem>,
    /// The whole statement, ready to edit.
    pub en: String,
    pub zh: String,
}

pub fn draft(
    case: &Case,
    c: &Candidate,
    neutrality: &Neutrality,
    findings: &[Finding],
    checked: usize,
) -> Disclosure {
    let who = c.name.clone().unwrap_or_else(|| c.id.clone());
    let mut items: Vec<DisclosureItem> = Vec::new();
    if neutrality.applies && neutrality.verdict != Verdict::Ok {
        items.push(DisclosureItem {
            code: "nationality",
            en: format!("Nationality: {}", neutrality.en),
            zh: format!("国籍：{}", neutrality.zh),
        });
    }
    for f in findings {
        items.push(DisclosureItem {
            code: f.code,
            en: f.en.clone(),
            zh: f.zh.clone(),
        });
    }
    let role_en = match case.role {
        super::Role::Sole => "sole arbitrator",
        super::Role::Presiding => "presiding arbitrator",
        super::Role::CoArbitrator => "co-arbitrator",
    };
    let role_zh = match case.role {
        super::Role::Sole => "独任仲裁员",
        super::Role::Presiding => "首席仲裁员",
        super::Role::CoArbitrator => "边裁",
    };
    let rules = &case.rules.rule_set;
    let mut en = format!(
        "DRAFT — to be confirmed or corrected by the arbitrator.\n\nI, {who}, proposed as {role_en} in this arbitration under {rules}, "
    );
    let mut zh =
        format!("草稿——须经仲裁员确认或更正。\n\n本人{who}，拟在本案（{rules}）中担任{role_zh}，");
    if items.is_empty() {
        en.push_str(&format!(
            "am not aware of any circumstance to disclose. The records checked ({checked} of my appointments within the past three years, the parties, their affiliates and counsel) show none."
        ));
        zh.push_str(&format!(
            "不知悉任何须披露的情况。经核查的记录（本人过去三年内的 {checked} 次指定、当事人及其关联方和代理人）未显示此类情况。"
        ));
    } else {
        en.push_str("disclose the following circumstances, which may in the eyes of the parties give rise to doubts as to my impartiality or independence:\n");
        zh.push_str("现披露以下在当事人看来可能对本人的公正性或独立性产生怀疑的情况：\n");
        for (i, item) in items.iter().enumerate() {
            en.push_str(&format!("\n{}. {}", i + 1, item.en));
            zh.push_str(&format!("\n{}. {}", i + 1, item.zh));
        }
        if findings.iter().any(|f| f.list == List::NonWaivableRed) {
            en.push_str("\n\nA circumstance above cannot be waived by the parties: I must decline the appointment.");
            zh.push_str("\n\n上述情况不能由当事人放弃异议：本人应拒绝接受指定。");
        } else if findings.iter().any(|f| f.list == List::WaivableRed) {
            en.push_str("\n\nI will serve only if all parties, aware of these circumstances, expressly agree.");
            zh.push_str("\n\n仅在全体当事人知悉上述情况并明确同意后，本人方接受指定。");
        }
    }
    Disclosure {
        status: "draft",
        arbitrator: c.id.clone(),
        items,
        en,
        zh,
    }
}
