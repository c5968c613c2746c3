//! The steps of each route, with the sources of shared/reference/notarization-and-advisory.md §3.

use super::{DocumentRoute, RouteKind, Step};
use crate::jurisdiction::facts::Statement;

const CAAO: &str = "https://hk-lawyer.org/content/forty-years-attestation-system-will-continue-strive-brilliance | https://www.zhucehk.com/notarization-and-authentication-services/130.html | http://www.plnmw.com/LawyersDirectory/mdjvauiflf.html";
const NO_APOSTILLE_SAR: &str = "https://translate.hicom-asia.com/area/hong-kong-macau-apostille-difference/library/4 | shared/data/README.md";
const CN_APOSTILLE: &str = "https://english.court.gov.cn/2023-11/08/c_937927.htm | https://cm.twobirds.com/en/insights/2023/china/convention-abolishing-the-requirement-of-legalisation-for-foreign-public-documents";
const CN_PREREQUISITE: &str =
    "https://translate.hicom-asia.com/area/foreign-affairs-office-issuance-authority/library/4/";
const CN_NOTARY: &str = "https://www.cditv.cn/cdradio/show/6465-1713502.html";
const CN_DOUBLE_AUTH: &str = "https://m.163.com/dy/article/KK259FNM0538PRMR.html";
const HCCH_TEXT: &str = "https://www.hcch.net/en/instruments/conventions/full-text/?cid=41";

pub(super) struct Special {
    pub route: RouteKind,
    pub basis: Vec<Statement>,
    pub steps: Vec<Step>,
}

fn step(order: u8, state: &str, s: Statement) -> Step {
    Step {
        order,
        authority_state: state.to_owned(),
        statement: s,
    }
}

/// Routes between the Mainland, Hong Kong, Macao and Taiwan, which are never apostille routes here.
pub(super) fn within_china(from: &str, to: &str) -> Option<Special> {
    let no_apostille = |a: &str, b: &str| {
        Statement::new(
            "apostille_not_between_mainland_and_sar",
            &format!(
                "The Apostille Convention does not apply between {a} and {b} (Mainland and SAR are one country)."
            ),
            &format!("{a} 与 {b} 之间不适用附加证明书公约（内地与特区同属一国）。"),
            NO_APOSTILLE_SAR,
            true,
        )
    };
    let undetermined = |code: &str, en: &str, zh: &str, source: &str| Special {
        route: RouteKind::Undetermined,
        basis: vec![Statement::new(code, en, zh, source, false)],
        steps: Vec::new(),
    };
    Some(match (from, to) {
        ("HK", "CN") => Special {
            route: RouteKind::ChinaAppointedAttestingOfficer,
            basis: vec![no_apostille("HK", "CN")],
            steps: vec![
                step(
                    1,
                    "HK",
                    Statement::new(
                        "caao_attestation",
                        "Attestation by a China-Appointed Attesting Officer (a Hong Kong lawyer appointed by the Ministry of Justice; 中国委托公证人). A Hong Kong Notary Public serves documents going abroad, not to the Mainland.",
                        "由中国委托公证人（司法部委托的香港律师）出具证明。香港国际公证人服务于发往境外的文书，不适用于内地。",
                        CAAO,
                        true,
                    ),
                ),
                step(
                    2,
                    "HK",
                    Statement::new(
                        "cls_hk_transmission_seal",
                        "Transmission seal (转递专用章) of China Legal Services (HK) Ltd.; Mainland authorities do not accept the attestation without it.",
                        "加盖中国法律服务（香港）有限公司转递专用章；内地机关不接受未加盖该章的证明。",
                        CAAO,
                        true,
                    ),
                ),
            ],
        },
        ("MO", "CN") => Special {
            route: RouteKind::MacaoAttestation,
            basis: vec![no_apostille("MO", "CN")],
            steps: vec![step(
                1,
                "MO",
                Statement::new(
                    "macao_attestation",
                    "Attestation for use in the Mainland (sources conflict: a China-appointed attesting officer in Macao, or a Macao notary then the Macao notaries' body).",
                    "供内地使用的证明（来源说法不一：澳门的中国委托公证人，或澳门公证员再经澳门公证员组织证明）。",
                    "https://translate.hicom-asia.com/area/macau-document-certification/library/9.md | https://translate.hicom-asia.com/area/macau-attestation/library/8/",
                    false,
                ),
            )],
        },
        ("CN", "HK") | ("CN", "MO") => {
            let mut s = undetermined(
                "mainland_to_sar_route_not_in_dataset",
                &format!(
                    "A Mainland notarial certificate for use in {to}: the further steps required in {to} are not in the data (the China-Appointed Attesting Officer route is for documents going the other way, into the Mainland)."
                ),
                &format!(
                    "内地公证书在{to}使用：{to} 所需的后续手续数据未收录（中国委托公证人制度适用于反方向，即进入内地的文书）。"
                ),
                CAAO,
            );
            s.basis.insert(0, no_apostille("CN", to));
            s
        }
        ("HK", "MO") | ("MO", "HK") => undetermined(
            "hk_macao_route_not_in_dataset",
            "Between Hong Kong and Macao (two SARs of one State) the data does not say whether apostilles are used.",
            "香港与澳门（同一国家的两个特区）之间是否使用附加证明书，数据未载明。",
            "data/jurisdiction/apostille.csv (HK and MO rows)",
        ),
        ("CN", "TW") | ("TW", "CN") => undetermined(
            "cross_strait_route_not_in_dataset",
            "Documents between the Mainland and Taiwan follow cross-strait arrangements that are not in the data.",
            "大陆与台湾之间的文书适用两岸专门安排，数据未收录。",
            "no source in the dataset",
        ),
        _ => return None,
    })
}

pub(super) fn apostille(from: &str) -> Vec<Step> {
    let mut out = Vec::new();
    if from == "CN" {
        out.push(step(1, "CN", Statement::new("cn_prerequisite_notarization", "Civil documents are first notarized by a notary office; commercial documents are first certified by CCPIT.", "民事类文书先经公证机构公证；商事类文书先经中国国际贸易促进委员会（贸促会）出具证明。", CN_PREREQUISITE, true)));
    }
    let (code, en, zh, source, verified) = match from {
        "CN" => (
            "cn_apostille_authority",
            "Apostille by the Ministry of Foreign Affairs or a local Foreign Affairs Office it authorises, for documents issued in its region.",
            "由外交部或其委托的地方外事办公室对本辖区出具的文书签发附加证明书。",
            CN_APOSTILLE,
            true,
        ),
        "HK" => (
            "hk_apostille_authority",
            "Apostille issued by the High Court of Hong Kong.",
            "由香港高等法院签发附加证明书。",
            NO_APOSTILLE_SAR,
            true,
        ),
        "SG" => (
            "sg_apostille_authority",
            "Apostille by the Singapore Academy of Law (competent authority).",
            "由新加坡法律学会（主管机关）签发附加证明书。",
            "https://www.allenandgledhill.com/sg/publication/articles/17605/accedes-to-apostille-convention",
            true,
        ),
        "PH" => (
            "ph_apostille_authority",
            "Apostille by the Department of Foreign Affairs, Office of Consular Affairs.",
            "由菲律宾外交部领事事务办公室签发附加证明书。",
            "data/jurisdiction/apostille.csv (PH notes)",
            true,
        ),
        "VN" => (
            "vn_apostille_authority",
            "Apostille by the Consular Department of the Ministry of Foreign Affairs (Hanoi) or the Ho Chi Minh City Department for External Relations.",
            "由越南外交部领事局（河内）或胡志明市外务厅签发附加证明书。",
            "data/jurisdiction/apostille.csv (VN notes)",
            true,
        ),
        _ => (
            "apostille_competent_authority",
            "Apostille by the competent authority the issuing State designated under the Convention.",
            "由出具国依公约指定的主管机关签发附加证明书。",
            HCCH_TEXT,
            true,
        ),
    };
    let order = out.len() as u8 + 1;
    out.push(step(
        order,
        from,
        Statement::new(code, en, zh, source, verified),
    ));
    out
}

pub(super) fn legalization(from: &str, to: &str) -> Vec<Step> {
    if from == "CN" {
        return vec![
            step(
                1,
                "CN",
                Statement::new(
                    "cn_foreign_related_notarization",
                    "A foreign-related notary office issues the notarial certificate (涉外公证书) with the required wording, format and translation; an ordinary certificate cannot be legalized.",
                    "由涉外公证机构出具符合要求（措辞、格式、译文）的涉外公证书；普通公证书不能办理认证。",
                    CN_NOTARY,
                    true,
                ),
            ),
            step(
                2,
                "CN",
                Statement::new(
                    "cn_mfa_authentication",
                    "Authentication by the Ministry of Foreign Affairs or an authorised local Foreign Affairs Office.",
                    "由外交部或其授权的地方外事办公室办理领事认证。",
                    CN_DOUBLE_AUTH,
                    true,
                ),
            ),
            step(
                3,
                "CN",
                Statement::new(
                    "destination_consular_legalization",
                    &format!(
                        "Legalization by the embassy or consulate of {to} in China (most destinations require this second step).",
                    ),
                    &format!("由 {to} 驻华使领馆办理认证（多数目的国要求此第二步）。"),
                    CN_DOUBLE_AUTH,
                    true,
                ),
            ),
        ];
    }
    let generic = "typical chain; each State's own requirements vary (not in the data)";
    vec![
        step(
            1,
            from,
            Statement::new(
                "issuing_authority_or_notary",
                &format!(
                    "The issuing authority, or a notary in {from}, certifies the document ({generic})."
                ),
                &format!(
                    "由 {from} 的出具机关或公证人证明文书（通常流程，各国要求不同，数据未收录）。"
                ),
                HCCH_TEXT,
                false,
            ),
        ),
        step(
            2,
            from,
            Statement::new(
                "issuing_foreign_ministry",
                &format!("Authentication by the foreign ministry of {from} ({generic})."),
                &format!("由 {from} 外交部认证（通常流程，数据未收录）。"),
                HCCH_TEXT,
                false,
            ),
        ),
        step(
            3,
            from,
            Statement::new(
                "destination_consular_legalization",
                &format!(
                    "Legalization by the embassy or consulate of {to} in {from}, which certifies the signature and seal (Art. 2 of the Apostille Convention describes this formality)."
                ),
                &format!(
                    "由 {to} 驻 {from} 使领馆认证签名和印章（附加证明书公约第二条所述的认证手续）。"
                ),
                HCCH_TEXT,
                false,
            ),
        ),
    ]
}

/// Notes specific to documents leaving or entering the Mainland.
pub(super) fn add_chinese_notes(r: &mut DocumentRoute) {
    if matches!(r.route, RouteKind::Apostille) {
        r.notes.push(Statement::new("apostille_scope_exclusions", "The Convention does not cover documents executed by diplomatic or consular agents, nor administrative documents dealing directly with commercial or customs operations (Art. 1(3)). An apostille certifies origin (signature, capacity, seal), not content.", "公约不适用于外交或领事人员制作的文书，也不适用于直接处理商业或海关业务的行政文书（第一条第三款）。附加证明书只证明来源（签名、身份、印章），不证明内容。", "https://cm.twobirds.com/en/insights/2023/china/convention-abolishing-the-requirement-of-legalisation-for-foreign-public-documents | https://russian-divorce.com/questions/q1308/", true));
    }
    let double_number = ["US", "KR", "IT", "AT", "UZ", "KZ", "RU"];
    if r.issuing_state == "CN" && double_number.contains(&r.destination_state.as_str()) {
        r.notes.push(Statement::new("cn_double_number_certificate", "For this destination a 'double-number' certificate (双号公证: each notarial item paired with a translation-conformity certificate) is required or common.", "该目的国要求或通常要求“双号公证”（每项公证事项另配译文与原文相符公证书）。", "https://www.51hwl.cn/article896.html | https://mts.cn/?p=15720", true));
    }
    if r.destination_state == "CN" && r.route != RouteKind::Domestic {
        r.notes.push(Statement::new("cn_chinese_translation", "Foreign-language documents used in Mainland proceedings must come with a Chinese translation; official documents formed abroad need notarization in the country of origin or the treaty procedure (SPC Evidence Rules 2019 Art. 16).", "在内地诉讼中使用的外文文书须附中文译本；境外形成的公文书证须经所在国公证或履行条约规定的证明手续（2019年《最高人民法院关于民事诉讼证据的若干规定》第十六条）。", "https://www.mondaq.com/china/corporatecommercial-law/1707154/ | http://skywind.web-16.com/Article.asp?id=494 | http://www.ydtnotary.com/show/6355.html", true));
    }
}
