//! The siteplan feature body (`PUT /api/siteplan/{id}/fitur`): a GeoJSON
//! FeatureCollection read into drafts the way the server reads it (geometry through
//! `kumuh_io::geojson::geometry_from_json`), then checked by the domain
//! (`kumuh_domain::siteplan::fitur_from_drafts`) and measured. Any bytes give features
//! or an error, never a panic.

use kumuh_domain::siteplan::{FiturDraft, SiteplanId, fitur_from_drafts, validate_fitur};
use serde_json::Value;

/// Reads `data` as the `fitur` FeatureCollection of a siteplan save; answers whether
/// the domain accepted features.
pub fn siteplan_fitur(data: &[u8]) -> bool {
    let Ok(body) = serde_json::from_slice::<Value>(data) else {
        return false;
    };
    let Some(drafts) = drafts(&body) else {
        return false;
    };
    let id = SiteplanId::new("fuzz").expect("a valid siteplan id");
    let Ok(fitur) = fitur_from_drafts(&id, drafts) else {
        return false;
    };
    // What the domain made of a body passes its own check again, and every feature
    // can be measured.
    validate_fitur(&id, &fitur).expect("checked features stay valid");
    for f in &fitur {
        let _ = f.ukuran();
    }
    !fitur.is_empty()
}

/// The drafts of a FeatureCollection, as the server's body reader builds them; `None`
/// where it refuses the body before the domain sees it.
fn drafts(v: &Value) -> Option<Vec<FiturDraft>> {
    if v.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return None;
    }
    let features = v.get("features").and_then(Value::as_array)?;
    features
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let props = f.get("properties").cloned().unwrap_or(Value::Null);
            let text = |k: &str| props.get(k).and_then(Value::as_str).map(str::to_owned);
            let id = text("id")
                .or_else(|| f.get("id").and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_else(|| format!("F{}", i + 1));
            let geometry =
                kumuh_io::geojson::geometry_from_json(f.get("geometry").unwrap_or(&Value::Null))
                    .ok()?;
            Some(FiturDraft {
                id,
                kategori: text("kategori")?,
                geometry,
                label: text("label"),
                catatan: text("catatan"),
            })
        })
        .collect()
}
