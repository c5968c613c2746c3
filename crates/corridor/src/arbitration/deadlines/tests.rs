//! One test per rule set, with the days counted by hand (weekday and holiday named in each
//! comment; holidays from `public_holidays_2026.csv`).

use super::*;

fn ask(rules: &str, event: &str, date: &str, place: Option<&str>) -> DeadlineAnswer {
    compute(&DeadlineAsk {
        rules: rules.into(),
        event: event.into(),
        date: date.into(),
        place: place.map(Into::into),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{rules} {event} {date}: {e}"))
}

fn due(a: &DeadlineAnswer, article: &str) -> String {
    a.deadlines
        .iter()
        .find(|d| d.article == article)
        .unwrap_or_else(|| {
            panic!(
                "no {article} in {:?}",
                a.deadlines.iter().map(|d| &d.article).collect::<Vec<_>>()
            )
        })
        .due
        .to_string()
}

fn deadline<'a>(a: &'a DeadlineAnswer, article: &str) -> &'a Deadline {
    a.deadlines.iter().find(|d| d.article == article).unwrap()
}

#[test]
fn uncitral_2013_counts_from_the_day_after_and_moves_off_holidays_at_the_place() {
    // Received Sun 18 Jan; 30 days → Tue 17 Feb, Chinese New Year in Singapore (17 and 18 Feb) → Thu 19 Feb.
    let a = ask(
        "UNCITRAL-2013",
        "notice_of_arbitration_received",
        "2026-01-18",
        Some("SG"),
    );
    let response = deadline(&a, "4(1)");
    assert_eq!(response.starts.unwrap().to_string(), "2026-01-19");
    assert_eq!(response.last_day.to_string(), "2026-02-17");
    assert_eq!(response.due.to_string(), "2026-02-19");
    assert_eq!(response.moved_over.len(), 2);
    assert_eq!(response.moved_over[0].reason, "holiday");
    assert!(response.verified && a.counting.verified && a.counting.roll_forward);
    assert_eq!(due(&a, "7(1)"), "2026-02-19");
    // Without the place only weekends count: Tue 17 Feb stays.
    let a = ask(
        "UNCITRAL-2013",
        "notice_of_arbitration_received",
        "2026-01-18",
        None,
    );
    assert_eq!(due(&a, "4(1)"), "2026-02-17");
    assert!(a.warnings.iter().any(|w| w.code == "no_place"));
    // Appointment notified Fri 17 Jul; 15 days → Sat 1 Aug → Mon 3 Aug (challenge, 13(1)).
    let a = ask(
        "UNCITRAL-2013",
        "appointment_notified",
        "2026-07-17",
        Some("SG"),
    );
    assert_eq!(due(&a, "13(1)"), "2026-08-03");
    // Award received Sun 1 Mar; 30 days → Tue 31 Mar (correction, interpretation, additional award).
    let a = ask("UNCITRAL-2013", "award_received", "2026-03-01", Some("SG"));
    assert_eq!(due(&a, "38(1)"), "2026-03-31");
    assert_eq!(a.deadlines.len(), 3);
}

#[test]
fn uncitral_2021_expedited_counts_like_uncitral() {
    // Constituted Sat 10 Jan; 15 days → Sun 25 Jan → Mon 26 Jan; award 6 months → Fri 10 Jul.
    let a = ask(
        "UNCITRAL-2021-Expedited",
        "tribunal_constituted",
        "2026-01-10",
        Some("SG"),
    );
    assert_eq!(due(&a, "ER 9"), "2026-01-26");
    assert_eq!(due(&a, "ER 5(2); ER 10"), "2026-01-26");
    assert_eq!(due(&a, "ER 16(1)-(4)"), "2026-07-10");
    assert!(a.deadlines.iter().all(|d| d.verified));
}

#[test]
fn cietac_2024_uses_chinese_holidays_and_make_up_working_days() {
    // Received Thu 15 Jan. Defence 45 days → Sun 1 Mar → Mon 2 Mar; nominations 15 days → Fri 30 Jan;
    // summary defence 20 days → Wed 4 Feb. No place given: CIETAC counts PRC holidays.
    let a = ask(
        "CIETAC-2024",
        "notice_of_arbitration_received",
        "2026-01-15",
        None,
    );
    assert_eq!(a.place.as_deref(), Some("CN"));
    assert_eq!(due(&a, "(2015 Art 15(1))"), "2026-03-02");
    assert_eq!(due(&a, "(2015 Arts 26-28)"), "2026-01-30");
    assert_eq!(due(&a, "(2015 Art 59)"), "2026-02-04");
    assert!(a.deadlines.iter().all(|d| !d.verified));
    assert!(a.warnings.iter().any(|w| w.code == "unverified_limits"));
    // Make-up working day: received Fri 30 Jan; 15 days → Sat 14 Feb, a working day (调休) → stays.
    let a = ask(
        "CIETAC-2024",
        "notice_of_arbitration_received",
        "2026-01-30",
        None,
    );
    let nominate = deadline(&a, "(2015 Arts 26-28)");
    assert_eq!(nominate.due.to_string(), "2026-02-14");
    assert!(nominate.moved_over.is_empty());
    // Holiday shift: received Wed 16 Sep; 15 days → Thu 1 Oct, National Day week → Thu 8 Oct.
    let a = ask(
        "CIETAC-2024",
        "notice_of_arbitration_received",
        "2026-09-16",
        None,
    );
    let nominate = deadline(&a, "(2015 Arts 26-28)");
    assert_eq!(nominate.due.to_string(), "2026-10-08");
    assert_eq!(nominate.moved_over.len(), 7);
    // Awards from formation Thu 30 Apr: 6 months → Fri 30 Oct; summary 3 months → Thu 30 Jul;
    // domestic 4 months → Sun 30 Aug → Mon 31 Aug.
    let a = ask("CIETAC-2024", "tribunal_constituted", "2026-04-30", None);
    assert_eq!(due(&a, "(2015 Art 48(1))"), "2026-10-30");
    assert_eq!(due(&a, "(2015 Art 62)"), "2026-07-30");
    assert_eq!(due(&a, "(2015 Art 71)"), "2026-08-31");
    // Hearing notices count back from the hearing, and are not moved.
    let a = ask("CIETAC-2024", "first_hearing", "2026-06-30", None);
    assert_eq!(due(&a, "(2015 Art 37(1))"), "2026-06-10");
    assert_eq!(due(&a, "(2015 Art 61)"), "2026-06-15");
}

#[test]
fn icc_2021_months_clamp_to_month_end_and_unknown_years_warn() {
    // Request received Mon 2 Mar; Answer 30 days → Wed 1 Apr. No holidays of FR in the data.
    let a = ask(
        "ICC-2021",
        "notice_of_arbitration_received",
        "2026-03-02",
        Some("FR"),
    );
    assert_eq!(due(&a, "5(1)-(2)"), "2026-04-01");
    assert_eq!(due(&a, "12(3)"), "2026-04-01");
    assert!(a.warnings.iter().any(|w| w.code == "unknown_holidays"));
    assert!(a.warnings.iter().any(|w| w.code == "unverified_counting"));
    // ToR signed 31 Aug 2026; 6 months → 28 Feb 2027 (clamped; a Sunday) → Mon 1 Mar 2027.
    let a = ask(
        "ICC-2021",
        "terms_of_reference_signed",
        "2026-08-31",
        Some("CN"),
    );
    let award = deadline(&a, "31(1)");
    assert_eq!(award.last_day.to_string(), "2027-02-28");
    assert_eq!(award.due.to_string(), "2027-03-01");
    assert!(!award.holidays_known);
    assert!(a.warnings.iter().any(|w| w.code == "holidays_year_missing"));
    assert!(a.warnings.iter().any(|w| w.code == "month_end"));
}

#[test]
fn hkiac_2024_moves_over_easter_and_tomb_sweeping_day() {
    // Received Sat 7 Mar; 30 days → Mon 6 Apr (Easter Monday), Tue 7 Apr (observed) → Wed 8 Apr.
    let a = ask(
        "HKIAC-2024",
        "notice_of_arbitration_received",
        "2026-03-07",
        Some("HK"),
    );
    assert_eq!(due(&a, "5.1"), "2026-04-08");
    assert_eq!(due(&a, "7.1"), "2026-04-08");
}

#[test]
fn siac_2025_moves_over_national_day_observed() {
    // Received Mon 27 Jul; Response 14 days → Mon 10 Aug (National Day observed) → Tue 11 Aug.
    let a = ask(
        "SIAC-2025",
        "notice_of_arbitration_received",
        "2026-07-27",
        Some("SG"),
    );
    assert_eq!(due(&a, "(2016 R4.1; 2025 number [K])"), "2026-08-11");
    // 24 hours run from the moment of appointment: next day, never moved.
    let a = ask(
        "SIAC-2025",
        "emergency_arbitrator_appointed",
        "2026-08-08",
        Some("SG"),
    );
    assert_eq!(due(&a, "Sch 1"), "2026-08-09");
}

#[test]
fn cqac_has_no_limits_and_says_so() {
    let a = ask("CQAC", "notice_of_arbitration_received", "2026-03-02", None);
    assert!(a.deadlines.is_empty());
    assert!(a.warnings.iter().any(|w| w.code == "no_limits"));
    assert!(
        ask("cqac-liangjiang", "award_received", "2026-03-02", None)
            .deadlines
            .is_empty()
    );
}

#[test]
fn extensions_add_days_or_fix_a_date() {
    let with = |ext: &str| {
        compute(&DeadlineAsk {
            rules: "UNCITRAL-2013".into(),
            event: "notice_of_arbitration_received".into(),
            date: "2026-01-05".into(),
            place: Some("SG".into()),
            extensions: vec![ext.into()],
            ..Default::default()
        })
    };
    // 30 days → Wed 4 Feb; +15 → Thu 19 Feb.
    let a = with("4(1)=15").unwrap();
    let d = deadline(&a, "4(1)");
    assert_eq!(d.original_due.unwrap().to_string(), "2026-02-04");
    assert_eq!(d.due.to_string(), "2026-02-19");
    assert_eq!(
        due(&a, "7(1)"),
        "2026-02-04",
        "only the extended limit moves"
    );
    let a = with("4(1)=2026-03-01").unwrap();
    assert_eq!(due(&a, "4(1)"), "2026-03-01");
    assert!(
        with("99=5")
            .unwrap_err()
            .to_string()
            .contains("--extension")
    );
    assert!(
        with("4(1)")
            .unwrap_err()
            .to_string()
            .contains("ARTICLE=DAYS")
    );
}

#[test]
fn a_procedure_filter_keeps_only_its_limits() {
    let a = compute(&DeadlineAsk {
        rules: "CIETAC-2024".into(),
        event: "notice_of_arbitration_received".into(),
        date: "2026-01-15".into(),
        procedure: Some("summary".into()),
        ..Default::default()
    })
    .unwrap();
    assert!(a.deadlines.iter().all(|d| d.procedure == "summary"));
    assert_eq!(a.deadlines.len(), 2);
}

#[test]
fn bad_input_names_the_flag() {
    let err = |rules: &str, event: &str, date: &str, place: Option<&str>| {
        compute(&DeadlineAsk {
            rules: rules.into(),
            event: event.into(),
            date: date.into(),
            place: place.map(Into::into),
            ..Default::default()
        })
        .unwrap_err()
        .to_string()
    };
    assert!(
        err("LCIA-1998", "award_received", "2026-01-01", None).starts_with("--rules \"LCIA-1998\"")
    );
    assert!(err("ICC-2021", "lunch", "2026-01-01", None).starts_with("--event \"lunch\""));
    assert!(err("ICC-2021", "award_received", "2026-13-01", None).starts_with("--date"));
    assert!(err("ICC-2021", "award_received", "2026-01-01", Some("France")).starts_with("--place"));
}

#[test]
fn every_limit_with_a_period_has_a_known_event_or_says_why_not() {
    let data = Dataset::get().unwrap();
    for l in &data.limits {
        if let (Some(p), None) = (&l.period, &l.event) {
            // The only unmapped periods: definitions (0 days) and a period the tribunal fixes.
            assert!(
                p.value == 0 || l.article == "25",
                "{} {}",
                l.rule_set,
                l.article
            );
        }
    }
    for r in &data.rule_sets {
        assert!(data.rule_set(&r.id).is_some());
    }
}
