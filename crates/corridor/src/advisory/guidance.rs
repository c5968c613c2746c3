//! How an applicable obligation becomes a piece of work: which plan area it belongs to, who
//! carries it, by when, how risky it is, and what evidence closes it. These are Corridor's
//! working defaults by the data's `area` (called `topic` in a plan), not legal facts: they say so
//! in `docs/advisory.md`, and every item also carries the obligation's own sourced text.

use serde::Serialize;
use utoipa::ToSchema;

use super::Text;
use super::vocab::Area;

/// The plan area of each topic of the library. `None` for a topic the engine does not know,
/// which the library refuses at load.
pub fn area_of(topic: &str) -> Option<Area> {
    Some(match topic {
        // What can be owned and done, and whether a deal needs clearance: settled while the
        // deal is shaped.
        "fdi_market_access" | "ownership_caps" | "competition_merger_control" | "tax" => {
            Area::Negotiation
        }
        // Approvals and licences the contract must be conditional on.
        "outbound_approval" | "licensing" => Area::Signing,
        // Running the project lawfully.
        "data_protection"
        | "cross_border_data_transfer"
        | "labour_immigration"
        | "anti_corruption"
        | "sanctions_export_control" => Area::Risk,
        "dispute_resolution" => Area::Disputes,
        _ => return None,
    })
}

/// The China-side topics every plan reports on, whatever the project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChinaTopic {
    OutboundInvestmentFilings,
    ForeignExchangeRegistration,
    DataExportRoute,
    ExportControl,
    Sanctions,
}

impl ChinaTopic {
    pub const ALL: [ChinaTopic; 5] = [
        ChinaTopic::OutboundInvestmentFilings,
        ChinaTopic::ForeignExchangeRegistration,
        ChinaTopic::DataExportRoute,
        ChinaTopic::ExportControl,
        ChinaTopic::Sanctions,
    ];

    /// The China-side topic of a CN obligation (by URN segment), if it is one of the five.
    pub fn of(urn: &str, topic: &str) -> Option<ChinaTopic> {
        if !urn.starts_with("urn:corridor:obl:cn:") {
            return None;
        }
        Some(if urn.contains(":safe-") {
            ChinaTopic::ForeignExchangeRegistration
        } else if topic == "outbound_approval" {
            ChinaTopic::OutboundInvestmentFilings
        } else if topic == "cross_border_data_transfer" {
            ChinaTopic::DataExportRoute
        } else if urn.contains(":export-control") {
            ChinaTopic::ExportControl
        } else if topic == "sanctions_export_control" {
            ChinaTopic::Sanctions
        } else {
            return None;
        })
    }

    pub fn text(self) -> Text {
        match self {
            ChinaTopic::OutboundInvestmentFilings => Text::new(
                "Outbound investment filings and approvals",
                "境外投资备案与核准",
            ),
            ChinaTopic::ForeignExchangeRegistration => {
                Text::new("Foreign exchange registration", "外汇登记")
            }
            ChinaTopic::DataExportRoute => Text::new("Data export route", "数据出境路径"),
            ChinaTopic::ExportControl => Text::new("Export control", "出口管制"),
            ChinaTopic::Sanctions => Text::new("Sanctions and countermeasures", "制裁与反制"),
        }
    }
}

/// Who in the enterprise (or its advisers) carries an item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Owner {
    pub code: &'static str,
    #[serde(flatten)]
    pub text: Text,
}

pub fn owner_of(topic: &str) -> Owner {
    let (code, en, zh) = match topic {
        "outbound_approval" => (
            "investment_team",
            "Outbound investment team",
            "境外投资部门",
        ),
        "fdi_market_access" | "ownership_caps" | "licensing" | "competition_merger_control" => {
            ("local_counsel", "Host-country counsel", "东道国律师")
        }
        "data_protection" | "cross_border_data_transfer" => (
            "data_protection_officer",
            "Data protection officer",
            "数据保护负责人",
        ),
        "labour_immigration" => ("human_resources", "Human resources", "人力资源部门"),
        "tax" => ("tax_team", "Tax team", "税务部门"),
        "anti_corruption" | "sanctions_export_control" => (
            "compliance_officer",
            "Chief compliance officer",
            "首席合规官",
        ),
        _ => ("legal_department", "Legal department", "法务部门"),
    };
    Owner {
        code,
        text: Text::new(en, zh),
    }
}

/// When an item is due, relative to the project's milestones (the plan knows no calendar dates
/// beyond the day it is made for).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    BeforeNegotiation,
    BeforeSigning,
    BeforeClosing,
    BeforeOperations,
    /// When the triggering event happens (a data breach): the obligation's own clock runs.
    OnEvent,
}

impl Milestone {
    pub fn text(self) -> Text {
        match self {
            Milestone::BeforeNegotiation => Text::new(
                "Before negotiations start (it shapes the deal)",
                "谈判开始前（影响交易结构）",
            ),
            Milestone::BeforeSigning => Text::new("Before the contract is signed", "合同签署前"),
            Milestone::BeforeClosing => Text::new(
                "Before closing, and before money or assets leave China",
                "交割前，且在资金或资产出境前",
            ),
            Milestone::BeforeOperations => Text::new(
                "Before operations start, then kept up",
                "运营开始前，并持续遵守",
            ),
            Milestone::OnEvent => Text::new(
                "When the event happens, within the deadline in the key numbers",
                "事件发生时，在关键数字所列期限内",
            ),
        }
    }
}

pub fn due_of(topic: &str, event_driven: bool) -> Milestone {
    if event_driven {
        return Milestone::OnEvent;
    }
    match topic {
        "fdi_market_access" | "ownership_caps" | "sanctions_export_control" | "anti_corruption" => {
            Milestone::BeforeNegotiation
        }
        "tax" | "dispute_resolution" => Milestone::BeforeSigning,
        "outbound_approval" | "licensing" | "competition_merger_control" => {
            Milestone::BeforeClosing
        }
        _ => Milestone::BeforeOperations,
    }
}

/// Risk rating: how badly the project is hurt if the item is missed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    High,
    Medium,
    Low,
}

/// High where missing the item can stop the project or bring criminal or list-based liability;
/// medium where it brings fines or delays; low where it changes cost.
pub fn risk_of(topic: &str) -> Risk {
    match topic {
        "outbound_approval"
        | "fdi_market_access"
        | "ownership_caps"
        | "anti_corruption"
        | "sanctions_export_control"
        | "cross_border_data_transfer" => Risk::High,
        "licensing" | "competition_merger_control" | "data_protection" | "labour_immigration" => {
            Risk::Medium
        }
        _ => Risk::Low,
    }
}

/// The evidence that closes an item of this topic.
pub fn evidence_of(topic: &str) -> Text {
    let (en, zh) = match topic {
        "outbound_approval" => (
            "The filing notice, approval or registration record issued by the authority in the legal basis.",
            "法律依据所列主管机关出具的备案通知书、核准文件或登记凭证。",
        ),
        "fdi_market_access" => (
            "Host-country counsel's written opinion that each business line is open to the investor, with the list entries checked.",
            "东道国律师出具的书面意见，确认各业务领域对投资者开放，并列明核对的清单条目。",
        ),
        "ownership_caps" => (
            "The shareholding chart checked against the cap, confirmed in writing by host-country counsel.",
            "经东道国律师书面确认、已对照持股上限核对的股权结构图。",
        ),
        "licensing" => (
            "The licence or registration certificate issued.",
            "已取得的许可证或登记证书。",
        ),
        "competition_merger_control" => (
            "The notification receipt and clearance decision, or counsel's memo that no threshold is met.",
            "经营者集中申报受理回执和审查决定，或律师出具的未达申报标准的备忘录。",
        ),
        "data_protection" => (
            "Data inventory, privacy notice and a breach-response procedure with the notification clock.",
            "数据清单、隐私声明，以及列明通知时限的数据泄露应对程序。",
        ),
        "cross_border_data_transfer" => (
            "The filed assessment, standard contract or certification, or a documented exemption analysis.",
            "已提交的评估、标准合同备案或认证，或书面的豁免分析。",
        ),
        "labour_immigration" => (
            "Work permits or quota approvals for every foreign employee.",
            "每名外籍员工的工作许可或配额批准。",
        ),
        "tax" => (
            "A tax memo on the rule's effect on the project, with the group revenue test documented.",
            "说明该规则对项目影响的税务备忘录，并记录集团收入测试。",
        ),
        "anti_corruption" => (
            "Anti-bribery policy, due-diligence files on agents and consultants, and training records.",
            "反贿赂制度、代理人和顾问的尽职调查档案及培训记录。",
        ),
        "sanctions_export_control" => (
            "Screening records for counterparties and items against the lists, and any licence needed.",
            "交易对手和物项的清单筛查记录，以及所需的许可证。",
        ),
        _ => (
            "The signed contract's dispute clause, checked against this plan's proposal.",
            "已签署合同中的争议解决条款，并已对照本计划的建议核对。",
        ),
    };
    Text::new(en, zh)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisory::library::Library;

    #[test]
    fn every_topic_of_the_library_has_an_area() {
        let lib = Library::get().unwrap();
        for o in &lib.obligations {
            assert!(area_of(&o.topic).is_some(), "{}", o.topic);
        }
    }

    #[test]
    fn every_china_topic_has_an_obligation() {
        let lib = Library::get().unwrap();
        for t in ChinaTopic::ALL {
            assert!(
                lib.obligations
                    .iter()
                    .any(|o| ChinaTopic::of(&o.urn, &o.topic) == Some(t)),
                "{t:?}"
            );
        }
    }
}
