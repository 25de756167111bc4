//! Places: edits by an admin and deletions (imports from files are `crate::impor`).

use kumuh_domain::text::{TextLimit, check_text};
use kumuh_domain::{Action, Kode, Level, Place, User};

use crate::{AppError, Atlas, Result, authorize};

/// A place to create or replace.
#[derive(Debug, Clone)]
pub struct PutPlace {
    /// Its code.
    pub kode: Kode,
    /// Official name.
    pub nama: String,
    /// Other spellings.
    pub nama_alt: Vec<String>,
    /// BPS code, where known.
    pub kode_bps: Option<String>,
    /// Its boundary: a GeoJSON Polygon or MultiPolygon in EPSG:4326, checked here (after
    /// the user's permission) so that every problem is named.
    pub geometry: serde_json::Value,
}

/// Creates or replaces a place (admin); its other attributes are kept. Answers the place
/// as stored.
pub async fn put(atlas: &Atlas, user: Option<&User>, cmd: PutPlace) -> Result<Place> {
    let user = authorize(user, &Action::EditPlaces)?;
    let nama = cmd.nama.trim();
    if nama.is_empty() {
        return Err(AppError::invalid("nama", "must not be empty"));
    }
    let name = |field: &str, text: &str| {
        check_text(text, TextLimit::Name).map_err(|e| AppError::invalid(field, e.to_string()))
    };
    name("nama", nama)?;
    for (i, alt) in cmd.nama_alt.iter().enumerate() {
        name(&format!("nama_alt[{i}]"), alt)?;
    }
    if let Some(bps) = &cmd.kode_bps {
        name("kode_bps", bps)?;
    }
    let geometry = kumuh_io::geojson::area_geometry_from_json(&cmd.geometry)
        .map_err(|issues| AppError::invalid("geometry", issues.join("; ")))?;
    let attributes = atlas
        .store
        .place(&cmd.kode)
        .await?
        .map(|p| p.attributes)
        .unwrap_or_default();
    let place = Place {
        kode: cmd.kode,
        kode_bps: cmd.kode_bps,
        nama: nama.to_owned(),
        nama_alt: cmd.nama_alt,
        geometry: Some(geometry),
        attributes,
    };
    // The audited write: the edit and its audit line (entity `wilayah`) land together.
    atlas.store.save_place(&place, &user.username).await?;
    atlas
        .tiles
        .place_changed(place.kode.level(), place.kode.as_str(), Some(&place));
    tracing::info!(user = %user.username, kode = %place.kode, "place written");
    Ok(place)
}

/// Deletes a place (admin), with its audit line; a place with places below it is
/// refused (`StoreError::HasChildren`, a conflict `has_children`).
pub async fn delete(atlas: &Atlas, user: Option<&User>, kode: &Kode) -> Result<()> {
    let user = authorize(user, &Action::EditPlaces)?;
    if !atlas.store.delete_place_as(kode, &user.username).await? {
        return Err(AppError::NotFound(format!("no place with code {kode}")));
    }
    atlas.tiles.place_changed(kode.level(), kode.as_str(), None);
    tracing::info!(user = %user.username, %kode, "place deleted");
    Ok(())
}

/// The desa `kode` (named by the command's `field`), which must be in the atlas.
pub async fn check_desa(atlas: &Atlas, kode: &Kode, field: &str) -> Result<Place> {
    if kode.level() != Level::Desa {
        return Err(AppError::invalid(
            field,
            format!("{kode} is a {}, not a desa", kode.level()),
        ));
    }
    atlas
        .store
        .place(kode)
        .await?
        .ok_or_else(|| AppError::invalid(field, format!("no desa {kode} in the atlas")))
}
