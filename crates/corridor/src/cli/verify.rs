//! `corridor verify`: offline checks anyone can run with the log's public key — a receipt for
//! a record (and the files it names), or the raw RFC 9162 proof math. Exit 0 when valid, 1 when
//! invalid (the reason on stderr), 2 when the input cannot be read.

use std::io::Read;
use std::path::PathBuf;

use corridor_ledger::merkle::{verify_consistency, verify_inclusion};
use serde::Deserialize;
use serde_json::json;

use crate::anchoring::verify::check;

#[derive(Debug, clap::Subcommand)]
pub enum VerifyCommand {
    /// Check a receipt (C2SP tlog-proof) for a record, and optionally the files it names.
    Receipt {
        /// The log's verifier key (vkey).
        #[arg(long, required_unless_present = "keys", conflicts_with = "keys")]
        vkey: Option<String>,
        /// The log's key history instead of one vkey (the text of `/ledger/keys`), for a log
        /// that rotated its key: the receipt must be signed by the key for its tree size.
        #[arg(long)]
        keys: Option<PathBuf>,
        /// A witness's verifier key; repeat for several.
        #[arg(long = "witness")]
        witnesses: Vec<String>,
        /// How many of the given witnesses must have cosigned.
        #[arg(long, default_value_t = 0)]
        quorum: usize,
        #[arg(long)]
        proof: PathBuf,
        #[arg(long)]
        record: PathBuf,
        /// A file whose SHA-256 the record must name; repeat for several.
        #[arg(long = "file")]
        files: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Check a portable evidence bundle (see docs/notary.md): exit 0 valid, 1 altered (naming
    /// the files) or not signed by this key, 2 unreadable.
    Bundle {
        /// The bundle (a tar archive).
        file: PathBuf,
        /// The log's verifier key (vkey).
        #[arg(long)]
        vkey: String,
        /// A witness's verifier key; repeat for several.
        #[arg(long = "witness")]
        witnesses: Vec<String>,
        /// How many of the given witnesses must have cosigned.
        #[arg(long, default_value_t = 0)]
        quorum: usize,
        #[arg(long)]
        json: bool,
    },
    /// Check an inclusion proof read as JSON from stdin:
    /// {"leaf_hash", "index", "tree_size", "root", "proof": [...]}, hashes as lowercase hex.
    Inclusion {
        #[arg(long)]
        json: bool,
    },
    /// Check a consistency proof read as JSON from stdin:
    /// {"size1", "size2", "root1", "root2", "proof": [...]}, hashes as lowercase hex.
    Consistency {
        #[arg(long)]
        json: bool,
    },
}

/// The outcome of a check, printed and turned into the exit code.
pub enum Verdict {
    Valid(serde_json::Value),
    Invalid(String),
    Unreadable(String),
}

impl Verdict {
    pub fn exit_code(&self) -> u8 {
        match self {
            Verdict::Valid(_) => 0,
            Verdict::Invalid(_) => 1,
            Verdict::Unreadable(_) => 2,
        }
    }

    pub fn report(&self, as_json: bool) {
        let (valid, reason, details) = match self {
            Verdict::Valid(d) => (true, None, d.clone()),
            Verdict::Invalid(r) => (false, Some(r.clone()), json!(null)),
            Verdict::Unreadable(r) => (false, Some(r.clone()), json!(null)),
        };
        if as_json {
            let mut out = json!({ "valid": valid, "reason": reason });
            if valid {
                out["details"] = details;
            } else if matches!(self, Verdict::Unreadable(_)) {
                out["unreadable"] = json!(true);
            }
            println!("{out}");
        } else if valid {
            println!("valid");
        }
        if let Some(reason) = reason {
            eprintln!("invalid: {reason}");
        }
    }
}

pub fn run(cmd: VerifyCommand) -> u8 {
    let (verdict, as_json) = match cmd {
        VerifyCommand::Bundle {
            file,
            vkey,
            witnesses,
            quorum,
            json,
        } => return bundle(&file, &vkey, &witnesses, quorum, json),
        VerifyCommand::Inclusion { json } => (
            read_stdin().map_or_else(Verdict::Unreadable, |t| inclusion(&t)),
            json,
        ),
        VerifyCommand::Consistency { json } => (
            read_stdin().map_or_else(Verdict::Unreadable, |t| consistency(&t)),
            json,
        ),
        VerifyCommand::Receipt {
            vkey,
            keys,
            witnesses,
            quorum,
            proof,
            record,
            files,
            json,
        } => {
            let log_keys = match (vkey, keys) {
                (Some(vkey), _) => Ok(vkey),
                (None, Some(path)) => std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display())),
                (None, None) => Err("--vkey or --keys is required".to_string()),
            };
            let verdict = match log_keys {
                Ok(log_keys) => receipt(&log_keys, &witnesses, quorum, &proof, &record, &files),
                Err(reason) => Verdict::Unreadable(reason),
            };
            (verdict, json)
        }
    };
    verdict.report(as_json);
    verdict.exit_code()
}

/// `corridor verify bundle`: its own report, because an altered bundle names its files.
fn bundle(
    file: &std::path::Path,
    vkey: &str,
    witnesses: &[String],
    quorum: usize,
    as_json: bool,
) -> u8 {
    use crate::notary::bundle::{Problem, verify_path};
    match verify_path(file, vkey, witnesses, quorum) {
        Ok(outcome) => {
            if as_json {
                println!("{}", json!({ "valid": true, "details": outcome }));
            } else {
                println!(
                    "valid: {} files, entry {} of {} (tree size {})",
                    outcome.files.len(),
                    outcome.receipt.leaf_index,
                    outcome.receipt.origin,
                    outcome.receipt.tree_size
                );
            }
            0
        }
        Err(problem) => {
            let code = problem.exit_code();
            match &problem {
                Problem::NotValid { altered, reason } => {
                    if as_json {
                        println!(
                            "{}",
                            json!({ "valid": false, "reason": reason, "altered": altered })
                        );
                    }
                    eprintln!("invalid: {reason}");
                }
                Problem::Unreadable(reason) => {
                    if as_json {
                        println!(
                            "{}",
                            json!({ "valid": false, "unreadable": true, "reason": reason })
                        );
                    }
                    eprintln!("invalid: {reason}");
                }
            }
            code
        }
    }
}

fn read_stdin() -> Result<String, String> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read stdin: {e}"))?;
    Ok(text)
}

fn hex_bytes(field: &str, text: &str) -> Result<Vec<u8>, String> {
    if text.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(format!("{field}: hashes are lowercase hex"));
    }
    hex::decode(text).map_err(|e| format!("{field}: not hex: {e}"))
}

fn proof_hashes(proof: &[String]) -> Result<Vec<Vec<u8>>, String> {
    proof
        .iter()
        .enumerate()
        .map(|(n, p)| hex_bytes(&format!("proof[{n}]"), p))
        .collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InclusionInput {
    leaf_hash: String,
    index: u64,
    tree_size: u64,
    root: String,
    proof: Vec<String>,
}

pub fn inclusion(text: &str) -> Verdict {
    let parsed = serde_json::from_str::<InclusionInput>(text)
        .map_err(|e| format!("inclusion input: {e}"))
        .and_then(|i| {
            let proof = proof_hashes(&i.proof)?;
            Ok((
                hex_bytes("leaf_hash", &i.leaf_hash)?,
                i.index,
                i.tree_size,
                hex_bytes("root", &i.root)?,
                proof,
            ))
        });
    match parsed {
        Err(e) => Verdict::Unreadable(e),
        Ok((leaf, index, size, root, proof)) => {
            match verify_inclusion(index, size, &leaf, &proof, &root) {
                Ok(()) => Verdict::Valid(json!({ "index": index, "tree_size": size })),
                Err(e) => Verdict::Invalid(e.to_string()),
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsistencyInput {
    size1: u64,
    size2: u64,
    root1: String,
    root2: String,
    proof: Vec<String>,
}

pub fn consistency(text: &str) -> Verdict {
    let parsed = serde_json::from_str::<ConsistencyInput>(text)
        .map_err(|e| format!("consistency input: {e}"))
        .and_then(|i| {
            let proof = proof_hashes(&i.proof)?;
            Ok((
                i.size1,
                i.size2,
                hex_bytes("root1", &i.root1)?,
                hex_bytes("root2", &i.root2)?,
                proof,
            ))
        });
    match parsed {
        Err(e) => Verdict::Unreadable(e),
        Ok((size1, size2, root1, root2, proof)) => {
            match verify_consistency(size1, size2, &root1, &root2, &proof) {
                Ok(()) => Verdict::Valid(json!({ "size1": size1, "size2": size2 })),
                Err(e) => Verdict::Invalid(e.to_string()),
            }
        }
    }
}

pub fn receipt(
    vkey: &str,
    witnesses: &[String],
    quorum: usize,
    proof: &std::path::Path,
    record: &std::path::Path,
    files: &[PathBuf],
) -> Verdict {
    let read = |path: &std::path::Path| {
        std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
    };
    let proof_text = match read(proof).map(|b| String::from_utf8_lossy(&b).into_owned()) {
        Ok(t) => t,
        Err(e) => return Verdict::Unreadable(e),
    };
    let leaf = match read(record) {
        Ok(b) => b,
        Err(e) => return Verdict::Unreadable(e),
    };
    let mut contents = Vec::new();
    for file in files {
        match read(file) {
            Ok(bytes) => contents.push((file.display().to_string(), bytes)),
            Err(e) => return Verdict::Unreadable(e),
        }
    }
    match check(vkey, witnesses, quorum, &proof_text, &leaf, &contents) {
        Ok(v) => Verdict::Valid(json!(v)),
        Err(f) if f.unreadable => Verdict::Unreadable(format!("{}: {}", f.code, f.detail)),
        Err(f) => Verdict::Invalid(format!("{}: {}", f.code, f.detail)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor_ledger::merkle::MemoryTree;

    fn tree() -> MemoryTree {
        let mut t = MemoryTree::default();
        for i in 0..7u8 {
            t.append(&[i]).unwrap();
        }
        t
    }

    #[test]
    fn a_valid_inclusion_proof_exits_zero_and_a_bad_one_one() {
        let t = tree();
        let proof = t.inclusion_proof(3, 7).unwrap();
        let leaf = corridor_ledger::merkle::leaf_hash(&[3]);
        let input = json!({"leaf_hash": leaf.to_hex(), "index": 3, "tree_size": 7, "root": t.root().to_hex(),
                           "proof": proof.iter().map(|h| h.to_hex()).collect::<Vec<_>>()});
        assert_eq!(inclusion(&input.to_string()).exit_code(), 0);
        let mut wrong = input.clone();
        wrong["index"] = json!(4);
        assert_eq!(inclusion(&wrong.to_string()).exit_code(), 1);
        assert_eq!(inclusion("{not json").exit_code(), 2);
        let mut upper = input;
        upper["root"] = json!(t.root().to_hex().to_uppercase());
        assert_eq!(inclusion(&upper.to_string()).exit_code(), 2);
    }

    #[test]
    fn a_consistency_proof_is_checked() {
        let mut t = tree();
        let root1 = t.root();
        t.append(&[9]).unwrap();
        let proof = t.consistency_proof(7, 8).unwrap();
        let input = json!({"size1": 7, "size2": 8, "root1": root1.to_hex(), "root2": t.root().to_hex(),
                           "proof": proof.iter().map(|h| h.to_hex()).collect::<Vec<_>>()});
        assert_eq!(consistency(&input.to_string()).exit_code(), 0);
        let mut truncated = input.clone();
        truncated["proof"].as_array_mut().unwrap().pop();
        assert_eq!(consistency(&truncated.to_string()).exit_code(), 1);
        let mut extra = input;
        extra["extra"] = json!(1);
        assert_eq!(consistency(&extra.to_string()).exit_code(), 2);
    }
}
