//! A notarial certificate (公证书) on paper: the number, the office, the certificate's text in
//! Chinese with its English translation, the notary, the date, a QR code to the public
//! verification page and, for use abroad, the document route the jurisdiction engine gives.
//! The caller fills the struct; the template is `templates/pdf/certificate.typ`.

use serde::Serialize;

use super::{Error, Renderer, Template};

const TEMPLATE: Template = Template {
    name: "certificate.typ",
    source: include_str!("../../templates/pdf/certificate.typ"),
};

/// A step of the route abroad, in both languages.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RouteStep {
    pub en: String,
    pub zh: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct CertificateDocument {
    /// `(2026)渝明证字第123号`.
    pub number: String,
    pub office_zh: String,
    pub office_en: String,
    pub matter_zh: String,
    pub matter_en: String,
    pub text_zh: String,
    pub text_en: String,
    pub notary: String,
    /// `YYYY-MM-DD`.
    pub issued: String,
    /// The public verification page the QR code opens.
    pub verify_url: String,
    /// The QR code's modules, one string of `0`/`1` per row (see [`qr_rows`]).
    pub qr: Vec<String>,
    /// For use abroad: where, and the route's kind and steps (empty for use in the Mainland).
    pub use_abroad: String,
    pub route_en: String,
    pub route_zh: String,
    pub route_steps: Vec<RouteStep>,
}

/// The certificate as a PDF.
pub fn certificate(renderer: &Renderer, document: &CertificateDocument) -> Result<Vec<u8>, Error> {
    renderer.render(TEMPLATE, document)
}

/// A QR code of `text` (error correction M), as rows of `0` and `1`; empty if the text is too
/// long for a QR code.
pub fn qr_rows(text: &str) -> Vec<String> {
    let Ok(code) = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M) else {
        return Vec::new();
    };
    let width = code.width();
    code.to_colors()
        .chunks(width)
        .map(|row| {
            row.iter()
                .map(|c| if *c == qrcode::Color::Dark { '1' } else { '0' })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_qr_code_is_square_with_its_finder_patterns() {
        let rows = qr_rows("https://corridor.example/verify/certificates/0192f");
        let n = rows.len();
        assert!(
            n >= 21 && (n - 17).is_multiple_of(4),
            "a QR version's size: {n}"
        );
        assert!(rows.iter().all(|r| r.len() == n));
        // The top-left finder pattern: a 7-module dark ring.
        assert_eq!(&rows[0][..7], "1111111");
        assert_eq!(&rows[1][..7], "1000001");
        assert_eq!(&rows[6][..7], "1111111");
        assert_ne!(
            rows,
            qr_rows("https://corridor.example/verify/certificates/0192g")
        );
    }
}
