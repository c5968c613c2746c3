//! Checks on user text that every domain shares.

/// Characters that change how text looks without being seen: bidirectional controls
/// (U+202E turns `Acme\u{202E}gpj.exe` into `Acmeexe.jpg`), zero-width characters and the BOM
/// (two names that look the same but differ), and noncharacters (U+FFFE, U+FFFF...). Names
/// that carry them allow lookalikes, so they are refused wherever a name is taken.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'                  // soft hyphen
            | '\u{034F}'            // combining grapheme joiner
            | '\u{061C}'            // Arabic letter mark
            | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' // Hangul fillers
            | '\u{180E}'            // Mongolian vowel separator
            | '\u{200B}'..='\u{200F}' // zero-width space, (non-)joiner, LRM, RLM
            | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
            | '\u{2060}'..='\u{206F}' // word joiner, invisible operators, bidi isolates
            | '\u{FE00}'..='\u{FE0F}' // variation selectors
            | '\u{FEFF}'            // BOM / zero-width no-break space
            | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
            | '\u{FDD0}'..='\u{FDEF}' // noncharacters
            | '\u{E0000}'..='\u{E007F}' // tags
    ) || (c as u32 & 0xFFFE) == 0xFFFE // U+FFFE, U+FFFF and their twins in every plane
}

#[cfg(test)]
mod tests {
    use super::is_invisible;

    #[test]
    fn invisible_and_direction_characters_are_found() {
        for c in [
            '\u{202E}',
            '\u{200B}',
            '\u{200D}',
            '\u{FEFF}',
            '\u{FFFE}',
            '\u{FFFF}',
            '\u{2066}',
            '\u{1FFFF}',
        ] {
            assert!(is_invisible(c), "{:04X}", c as u32);
        }
    }

    #[test]
    fn ordinary_letters_of_our_languages_pass() {
        for text in [
            "Jialing & Partners",
            "嘉陵律师事务所",
            "Nguyễn Văn A",
            "กรุงเทพฯ",
            "ភ្នំពេញ",
            "Bắc Ninh — Lào Cai",
        ] {
            assert!(!text.chars().any(is_invisible), "{text}");
        }
    }
}
