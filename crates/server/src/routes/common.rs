//! What handlers of several route modules share: file downloads, the `wilayah` filter
//! and the ids of new records.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use kumuh_domain::{Kode, Level};

use crate::AppState;
use crate::error::{ApiError, ApiResult};

/// A file to download: `bytes` as `content_type`, saved by the browser as `filename`.
pub(crate) fn attachment(filename: &str, content_type: &'static str, bytes: Vec<u8>) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // A name that cannot stand in a header still downloads, only without its name.
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// The `wilayah` query filter: a place code, matched as a prefix (a desa, or a
/// kecamatan, kabupaten … and everything in it).
pub(crate) fn parse_wilayah(text: &str) -> ApiResult<Kode> {
    Kode::parse(text).map_err(|e| ApiError::bad_request(format!("wilayah: {e}")))
}

/// The desa must exist in the atlas.
pub(crate) async fn check_desa(
    state: &AppState,
    kode: &Kode,
    field: &str,
) -> ApiResult<kumuh_domain::Place> {
    if kode.level() != Level::Desa {
        return Err(ApiError::unprocessable(format!(
            "{field}: {kode} is a {}, not a desa",
            kode.level()
        )));
    }
    state
        .store
        .place(kode)
        .await?
        .ok_or_else(|| ApiError::unprocessable(format!("{field}: no desa {kode} in the atlas")))
}

/// The id of a new record of a desa: the one the client chose, or `{prefix}-{kode_desa}-`
/// and eight random characters.
pub(crate) fn new_id(chosen: Option<String>, prefix: &str, kode_desa: &Kode) -> ApiResult<String> {
    match chosen {
        Some(id) => Ok(id),
        None => {
            let token = crate::auth::new_token().map_err(ApiError::internal)?;
            Ok(format!("{prefix}-{kode_desa}-{}", &token[..8]))
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::http::header;

    use super::*;

    #[test]
    fn attachment_names_the_file_and_its_type() {
        let res = attachment("a.csv", "text/csv; charset=utf-8", b"x".to_vec());
        assert_eq!(
            res.headers()[header::CONTENT_TYPE],
            "text/csv; charset=utf-8"
        );
        assert_eq!(
            res.headers()[header::CONTENT_DISPOSITION],
            "attachment; filename=\"a.csv\""
        );
    }

    #[test]
    fn attachment_without_a_header_safe_name_still_downloads() {
        let res = attachment("a\nb.csv", "text/csv", Vec::new());
        assert!(res.headers().get(header::CONTENT_DISPOSITION).is_none());
        assert_eq!(res.headers()[header::CONTENT_TYPE], "text/csv");
    }

    #[test]
    fn new_id_keeps_a_chosen_id_and_makes_one_otherwise() {
        let desa = Kode::parse("35.19.09.2014").unwrap();
        assert_eq!(new_id(Some("K1".into()), "K", &desa).unwrap(), "K1");
        let made = new_id(None, "SP", &desa).unwrap();
        assert!(made.starts_with("SP-35.19.09.2014-"), "{made}");
        assert_eq!(made.len(), "SP-35.19.09.2014-".len() + 8);
    }
}
