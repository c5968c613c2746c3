//! Printing shared by `corridor fees`, `corridor deadlines` and `corridor conflicts`: JSON or
//! readable, and the exit codes (0 answer, 2 bad input naming it, 1 broken embedded data).

use serde::Serialize;

use super::route::Lang;
use crate::arbitration::{Error, Text};

pub fn finish<T: Serialize>(result: Result<T, Error>, json: bool, readable: impl FnOnce(&T)) -> u8 {
    match result {
        Ok(x) if json => match serde_json::to_string_pretty(&x) {
            Ok(text) => {
                println!("{text}");
                0
            }
            Err(err) => {
                eprintln!("error: {err}");
                1
            }
        },
        Ok(x) => {
            readable(&x);
            0
        }
        Err(err @ Error::Invalid { .. }) => {
            eprintln!("error: {err}");
            2
        }
        Err(err @ Error::Data(_)) => {
            eprintln!("error: {err}");
            1
        }
    }
}

pub fn print_warnings(l: Lang, warnings: &[Text]) {
    if warnings.is_empty() {
        return;
    }
    println!("\n{}:", l.pick("Warnings", "警示"));
    for w in warnings {
        println!("  ! {}", l.pick(&w.en, &w.zh));
    }
}

pub fn mark(l: Lang, verified: bool) -> &'static str {
    if verified {
        ""
    } else {
        l.pick(" [unverified]", " [未核实]")
    }
}
