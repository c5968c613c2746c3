//! The matter summary PDF: everything a participant may see in a matter, on paper.

use crate::app::AppState;

/// Whether this node can render PDFs (fonts installed).
pub fn available(_state: &AppState) -> bool {
    false
}
