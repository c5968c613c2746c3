//! Renders summaries and reads them back with `pdftotext` (Debian `poppler-utils`), as a
//! reader's PDF tool would. A fresh machine has neither a Chinese font nor poppler-utils, so
//! these are `#[ignore]`d: `cargo test -- --include-ignored` (CI, which installs both) runs
//! them, and they fail, saying what to install, where either is missing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::summary::*;
use super::{Error, Renderer, Template};

const CLAIM_SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const AWARD_SHA: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The renderer made once for all tests, as the server does. Fails, saying what to install,
/// when this machine has no Chinese font or no `pdftotext`.
fn renderer() -> &'static Renderer {
    static RENDERER: OnceLock<Result<Renderer, String>> = OnceLock::new();
    let renderer = RENDERER.get_or_init(|| Renderer::new(None).map_err(|e| e.to_string()));
    let renderer = renderer.as_ref().unwrap_or_else(|why| panic!("{why}"));
    assert!(
        Command::new("pdftotext").arg("-v").output().is_ok(),
        "pdftotext is not installed: apt-get install poppler-utils"
    );
    renderer
}

/// The text of a PDF as `pdftotext` extracts it, one string per page.
fn pages(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext failed: {:?}", out);
    let text = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    // pdftotext ends every page with a form feed, so the last piece is empty.
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// What `pdfinfo` says about a PDF: page count, page size, title.
fn pdfinfo(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("pdfinfo").arg(&file).output().unwrap();
    assert!(out.status.success(), "pdfinfo failed: {:?}", out);
    String::from_utf8(out.stdout).unwrap()
}

fn chinese_summary() -> MatterSummary {
    MatterSummary {
        locale: "zh-CN".into(),
        generated_at: "2026-12-04 18:30（UTC+8）".into(),
        reference: "CQAC-2026-0007".into(),
        title: "重庆某机械公司诉曼谷某贸易公司国际货物买卖合同仲裁案".into(),
        kind: "仲裁案件".into(),
        status: "审理中".into(),
        owner: "演示国际商事仲裁院".into(),
        participants: vec![
            Participant {
                name: "张伟".into(),
                organization: "演示律师事务所".into(),
                role: "申请人代理人".into(),
            },
            Participant {
                name: "Somchai Prasert".into(),
                organization: "Demo Law Office Bangkok".into(),
                role: "被申请人代理人".into(),
            },
        ],
        documents: vec![
            Document {
                name: "仲裁申请书.pdf".into(),
                version: 2,
                sha256: CLAIM_SHA.into(),
                size: 248_332,
                filed_at: "2026-11-02 14:05".into(),
                filed_by: "张伟".into(),
            },
            Document {
                name: "Sales contract (English).pdf".into(),
                version: 1,
                sha256: AWARD_SHA.into(),
                size: 1_532_001,
                filed_at: "2026-11-03 09:12".into(),
                filed_by: "Somchai Prasert".into(),
            },
        ],
        tasks: vec![Task {
            title: "提交答辩书".into(),
            assignee: "Somchai Prasert".into(),
            due: "2026-12-20".into(),
            status: "待办".into(),
        }],
        meetings: vec![Meeting {
            title: "首次开庭（视频）".into(),
            starts: "2027-01-08 10:00".into(),
            time_zone: "Asia/Shanghai".into(),
            location: "线上视频庭".into(),
        }],
        timeline: vec![
            TimelineEntry {
                at: "2026-11-02 14:05".into(),
                text: "张伟提交仲裁申请书".into(),
            },
            TimelineEntry {
                at: "2026-11-10 16:40".into(),
                text: "仲裁院受理案件".into(),
            },
        ],
        ledger: Some(LedgerInfo {
            origin: "corridor.localhost/ledger/2026".into(),
            vkey: "corridor.localhost/ledger/2026+5b1f0a3c+AQ3sFvB2mZ9n7Qk1cX4rT8yW0pLhJ6dE2gU5iO9aK3sN".into(),
        }),
    }
}

fn english_summary() -> MatterSummary {
    MatterSummary {
        locale: "en".into(),
        generated_at: "2026-12-04 10:30 (UTC)".into(),
        kind: "Arbitration case".into(),
        status: "In hearing".into(),
        ..chinese_summary()
    }
}

#[test]
#[ignore = "needs fonts-noto-cjk and poppler-utils (pdftotext)"]
fn a_chinese_summary_reads_back_with_its_chinese_text_reference_and_hashes() {
    let renderer = renderer();

    let pdf = matter_summary(renderer, &chinese_summary()).unwrap();

    assert!(pdf.starts_with(b"%PDF-"));
    let text = pages(&pdf).concat();
    for expected in [
        "重庆某机械公司诉曼谷某贸易公司国际货物买卖合同仲裁案",
        "CQAC-2026-0007",
        "仲裁申请书.pdf",
        "演示国际商事仲裁院",
        CLAIM_SHA,
        AWARD_SHA,
        "Somchai Prasert",
        "corridor.localhost/ledger/2026",
        // The template's own headings, in Chinese.
        "事项摘要",
        "参与人",
        "由 Corridor 生成",
        "第 1 页，共 1 页",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    assert!(
        !text.contains("Participants"),
        "English heading in:\n{text}"
    );
}

#[test]
#[ignore = "needs fonts-noto-cjk and poppler-utils (pdftotext)"]
fn an_english_summary_has_english_headings_and_keeps_chinese_data() {
    let renderer = renderer();

    let pdf = matter_summary(renderer, &english_summary()).unwrap();

    let text = pages(&pdf).concat();
    for expected in [
        "Matter summary",
        "Participants",
        "Documents",
        "Generated by Corridor",
        "Page 1 of 1",
        "Arbitration case",
        "仲裁申请书.pdf",
        CLAIM_SHA,
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    assert!(!text.contains("参与人"), "Chinese heading in:\n{text}");
}

#[test]
#[ignore = "needs fonts-noto-cjk and poppler-utils (pdftotext)"]
fn a_long_document_list_continues_on_the_next_pages_with_its_header_and_page_numbers() {
    let renderer = renderer();
    let mut summary = english_summary();
    summary.documents = (1..=60)
        .map(|i| Document {
            name: format!("证据 {i:02} Exhibit {i:02}.pdf"),
            version: 1,
            sha256: format!("{i:064x}"),
            size: 1000 * i,
            filed_at: "2026-11-03 09:12".into(),
            filed_by: "张伟".into(),
        })
        .collect();

    let pdf = matter_summary(renderer, &summary).unwrap();

    let pages = pages(&pdf);
    assert!(pages.len() >= 2, "{} page(s)", pages.len());
    let last = pages.len();
    assert!(pages[last - 1].contains(&format!("Page {last} of {last}")));
    // The table's header row repeats on the page the table continues on.
    assert!(pages[1].contains("Document / SHA-256"), "{}", pages[1]);
    let all = pages.concat();
    for i in [1, 30, 60] {
        assert!(
            all.contains(&format!("证据 {i:02} Exhibit {i:02}.pdf")),
            "document {i}"
        );
        assert!(all.contains(&format!("{i:064x}")), "hash of document {i}");
    }
}

#[test]
#[ignore = "needs fonts-noto-cjk and poppler-utils (pdftotext)"]
fn typst_markup_in_user_data_comes_out_literally() {
    let renderer = renderer();
    let markup = r"#set page(width: 1pt) *bold* $x$ \";
    let mut summary = english_summary();
    summary.title = markup.into();
    summary.participants[0].name = r#"#panic("boom") _em_ <label> @ref"#.into();
    summary.timeline[0].text = "= Heading\n- item `code` #{1 + 1}".into();

    let pdf = matter_summary(renderer, &summary).unwrap();

    let text = pages(&pdf).concat();
    assert!(text.contains(markup), "title not literal in:\n{text}");
    // A narrow table cell may wrap the name, so compare with line breaks as spaces.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(r#"#panic("boom") _em_ <label> @ref"#),
        "{text}"
    );
    assert!(text.contains("#{1 + 1}"), "{text}");
    // `#set page(width: 1pt)` did not run: the page is still A4 (595 × 842 pt).
    let info = pdfinfo(&pdf);
    assert!(
        info.contains("Page size:       595.276 x 841.89 pts (A4)"),
        "{info}"
    );
}

#[test]
#[ignore = "needs fonts-noto-cjk and poppler-utils (pdftotext)"]
fn empty_sections_say_so_and_no_ledger_means_no_ledger_section() {
    let renderer = renderer();
    let summary = MatterSummary {
        locale: "zh-CN".into(),
        reference: "CQAC-2026-0008".into(),
        title: "空白事项".into(),
        ..MatterSummary::default()
    };

    let pdf = matter_summary(renderer, &summary).unwrap();

    let text = pages(&pdf).concat();
    assert_eq!(text.matches("暂无记录。").count(), 5, "{text}");
    assert!(!text.contains("防篡改存证"), "{text}");
}

#[test]
#[ignore = "needs fonts-noto-cjk and poppler-utils (pdftotext)"]
fn an_unknown_locale_gets_english_headings() {
    let renderer = renderer();
    let summary = MatterSummary {
        locale: "th".into(),
        ..english_summary()
    };

    let text = pages(&matter_summary(renderer, &summary).unwrap()).concat();

    assert!(text.contains("Matter summary"), "{text}");
}

#[test]
#[ignore = "needs fonts-noto-cjk and poppler-utils (pdftotext)"]
fn a_template_error_names_the_template_and_its_line() {
    let renderer = renderer();
    let broken = Template {
        name: "broken.typ",
        source: "#let data = json(\"/data.json\")\n#data.title\n#no-such-function()\n",
    };

    let error = renderer.render(broken, &english_summary()).unwrap_err();

    let message = error.to_string();
    assert!(message.contains("broken.typ"), "{message}");
    assert!(message.contains("line 3"), "{message}");
}

#[test]
#[ignore = "needs fonts-noto-cjk and poppler-utils (pdftotext)"]
fn a_template_can_read_its_data_and_nothing_else() {
    let renderer = renderer();
    let reads_data = Template {
        name: "data.typ",
        source: "#json(\"/data.json\").title",
    };
    let reads_disk = Template {
        name: "disk.typ",
        source: "#read(\"/etc/hostname\")",
    };

    let text = pages(&renderer.render(reads_data, &english_summary()).unwrap()).concat();
    let error = renderer.render(reads_disk, &english_summary()).unwrap_err();

    assert!(text.contains("重庆某机械公司"), "{text}");
    assert!(matches!(error, Error::Template { .. }), "{error}");
}

#[test]
fn without_a_chinese_font_the_renderer_says_what_to_install() {
    let empty = tempfile::tempdir().unwrap();

    let error = Renderer::with_font_folders(vec![empty.path().to_path_buf()]).unwrap_err();

    assert!(matches!(error, Error::NoChineseFont { .. }));
    let message = error.to_string();
    assert!(message.contains("fonts-noto-cjk"), "{message}");
    assert!(
        message.contains(&empty.path().display().to_string()),
        "{message}"
    );
}

#[test]
#[ignore = "needs fonts-noto-cjk"]
fn a_font_in_the_extra_folder_is_found() {
    let noto = Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    assert!(
        noto.exists(),
        "fonts-noto-cjk is not installed: apt-get install fonts-noto-cjk"
    );
    let extra = tempfile::tempdir().unwrap();
    let nested: PathBuf = extra.path().join("cjk");
    std::fs::create_dir(&nested).unwrap();
    std::os::unix::fs::symlink(noto, nested.join("NotoSansCJK-Regular.TTC")).unwrap();

    let renderer = Renderer::with_font_folders(vec![extra.path().to_path_buf()]);

    assert!(renderer.is_ok(), "{renderer:?}");
}

/// Prints how long the fonts and one summary take (no timed assertion belongs in a test), and
/// leaves the PDFs in the temp folder to look at; a render that breaks still fails it. Run with
/// `cargo test -p corridor --lib pdf::tests::render_time -- --ignored --nocapture`.
#[test]
#[ignore = "prints PDF render timings; needs fonts-noto-cjk"]
fn render_time() {
    let started = std::time::Instant::now();
    let renderer = Renderer::new(None).unwrap();
    println!("fonts found in {:?}", started.elapsed());
    let mut long = english_summary();
    long.documents = (1..=60)
        .map(|i| Document {
            name: format!("证据 {i:02} Exhibit {i:02}.pdf"),
            sha256: format!("{i:064x}"),
            size: 1000 * i,
            ..chinese_summary().documents[0].clone()
        })
        .collect();
    for (name, summary) in [
        ("zh-CN", chinese_summary()),
        ("en", english_summary()),
        ("long", long),
    ] {
        for round in 0..3 {
            // New data each round, so Typst's memo cache cannot answer from the last one.
            let mut summary = summary.clone();
            summary.reference = format!("CQAC-2026-{round:04}");
            let started = std::time::Instant::now();
            let pdf = matter_summary(&renderer, &summary).unwrap();
            println!(
                "{name} render {round}: {:?}, {} bytes",
                started.elapsed(),
                pdf.len()
            );
            let path = std::env::temp_dir().join(format!("corridor-summary-{name}.pdf"));
            std::fs::write(&path, &pdf).unwrap();
        }
    }
    println!("PDFs in {}", std::env::temp_dir().display());
}
