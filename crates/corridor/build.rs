//! Embeds the knowledge base (`data/knowledge/{guides,cases}`) in the binary, so a fresh
//! install has every guide and case without shipping the data folder beside it.

use std::io::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/knowledge");
    println!("cargo:rerun-if-changed={}", root.display());
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("knowledge_files.rs");
    let mut f = std::fs::File::create(&out).expect("create knowledge_files.rs");
    for (name, folder, ext) in [
        ("GUIDE_FILES", "guides", ".md"),
        ("CASE_FILES", "cases", ".toml"),
    ] {
        let dir = root.join(folder);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.to_string_lossy().ends_with(ext))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        writeln!(f, "pub static {name}: &[(&str, &str)] = &[").expect("write");
        for p in files {
            println!("cargo:rerun-if-changed={}", p.display());
            let file_name = p
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            writeln!(
                f,
                "    ({file_name:?}, include_str!({:?})),",
                p.display().to_string()
            )
            .expect("write");
        }
        writeln!(f, "];").expect("write");
    }
}
