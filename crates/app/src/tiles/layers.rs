//! The tile layers: which there are, and how places, slum locations, mapped lines and
//! work segments become their features.

use geo_types::Geometry;
use kumuh_domain::works::Kegiatan;
use kumuh_domain::{Kode, Level, LokasiKumuh, Place};
use kumuh_store::{AssessmentQuery, KegiatanQuery, Store, latest_assessments};
use kumuh_tiles::Feature;
use kumuh_tiles::mvt::Value;

use super::TilesError;

/// Highest zoom the TileJSON announces; MapLibre over-zooms beyond it.
pub const MAX_ZOOM: u8 = 14;

/// A layer the service offers.
#[derive(Debug)]
pub struct LayerDef {
    /// Id, as in the URL and the MVT layer name.
    pub id: &'static str,
    /// What it holds.
    pub description: &'static str,
    /// Its attributes and their types, for TileJSON `vector_layers`.
    pub fields: &'static [(&'static str, &'static str)],
}

/// Every layer, in drawing order.
pub const LAYERS: &[LayerDef] = &[
    LayerDef {
        id: "provinsi",
        description: "Provinsi (provinces)",
        fields: &[("kode", "String"), ("nama", "String")],
    },
    LayerDef {
        id: "kabupaten",
        description: "Kabupaten/kota (districts)",
        fields: &[("kode", "String"), ("nama", "String")],
    },
    LayerDef {
        id: "kecamatan",
        description: "Kecamatan (sub-districts)",
        fields: &[("kode", "String"), ("nama", "String")],
    },
    LayerDef {
        id: "desa",
        description: "Desa/kelurahan (villages)",
        fields: &[("kode", "String"), ("nama", "String")],
    },
    LayerDef {
        id: "rw",
        description: "Rukun warga (neighbourhoods)",
        fields: &[("kode", "String"), ("nama", "String")],
    },
    LayerDef {
        id: "rt",
        description: "Rukun tetangga (blocks)",
        fields: &[("kode", "String"), ("nama", "String")],
    },
    LayerDef {
        id: "lokasi",
        description: "Lokasi kumuh (slum locations) with their latest class, score and priority",
        fields: &[
            ("kode", "String"),
            ("nama", "String"),
            ("kode_desa", "String"),
            (
                "kelas",
                "String: kumuh_berat, kumuh_sedang, kumuh_ringan, tidak_kumuh",
            ),
            ("total", "Number"),
            ("prioritas", "String"),
            ("tahun", "Number"),
        ],
    },
    LayerDef {
        id: "jaringan",
        description: "Road and drainage lines with their condition",
        fields: &[
            ("kode", "String"),
            ("jenis", "String"),
            ("kondisi", "String"),
            ("rusak", "Boolean"),
            ("contoh", "Boolean"),
        ],
    },
    LayerDef {
        id: "segmen",
        description: "Work segments with status and main funding source",
        fields: &[
            ("kegiatan_id", "String"),
            ("segmen_id", "String"),
            ("kegiatan", "String"),
            ("segmen", "String"),
            ("status", "String"),
            ("sumber_utama", "String"),
            ("kode_desa", "String"),
            ("contoh", "Boolean"),
        ],
    },
    LayerDef {
        id: "label",
        description: "One label point per kecamatan and desa, inside its polygon",
        fields: &[
            ("kode", "String"),
            ("nama", "String"),
            ("level", "String: kecamatan, desa"),
        ],
    },
];

/// The levels that have label points in the `label` layer.
pub(super) const LABEL_LEVELS: [Level; 2] = [Level::Kecamatan, Level::Desa];

/// The highest zoom an offline package may hold.
pub const PACKAGE_MAX_ZOOM: u8 = 16;

/// What an offline package (PMTiles) holds.
#[derive(Debug, Clone)]
pub struct Package {
    /// The place whose boundary box it covers; `None`: everything in the layers.
    pub wilayah: Option<Kode>,
    /// The layers; empty: all.
    pub layers: Vec<String>,
    /// Lowest zoom.
    pub minzoom: u8,
    /// Highest zoom (at most [`PACKAGE_MAX_ZOOM`]).
    pub maxzoom: u8,
}

/// Why an offline package cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    /// minzoom above maxzoom, or maxzoom too high.
    #[error("need minzoom <= maxzoom <= {PACKAGE_MAX_ZOOM}")]
    Zooms,
    /// A layer that does not exist.
    #[error("no tile layer `{0}`; the layers are {list}", list = layer_list())]
    UnknownLayer(String),
    /// The place is not in the store.
    #[error("no place {0} in the store")]
    NoPlace(Kode),
    /// The place has no boundary.
    #[error("{0} has no boundary")]
    NoBoundary(Kode),
    /// Nothing to tile.
    #[error("the store has no features to tile")]
    Empty,
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] kumuh_store::StoreError),
}

pub(super) fn layer_list() -> String {
    LAYERS.iter().map(|l| l.id).collect::<Vec<_>>().join(", ")
}

/// A layer definition by id.
pub fn layer_def(id: &str) -> Option<&'static LayerDef> {
    LAYERS.iter().find(|l| l.id == id)
}

pub(super) fn level_of(layer: &str) -> Option<Level> {
    match layer {
        "provinsi" => Some(Level::Provinsi),
        "kabupaten" => Some(Level::Kabupaten),
        "kecamatan" => Some(Level::Kecamatan),
        "desa" => Some(Level::Desa),
        "rw" => Some(Level::Rw),
        "rt" => Some(Level::Rt),
        _ => None,
    }
}

/// A stable feature id from a text key (FNV-1a, 64 bits).
pub fn feature_id(key: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A place code's digits as its feature id (`35.19.09.2014` → 3519092014), or its hash
/// when too long.
pub(super) fn place_id(kode: &str) -> u64 {
    let digits: String = kode.chars().filter(char::is_ascii_digit).collect();
    digits.parse().unwrap_or_else(|_| feature_id(kode))
}

pub(super) fn s(key: &str, v: impl Into<String>) -> (String, Value) {
    (key.to_owned(), Value::String(v.into()))
}

/// [`place_feature`], taking the place (its geometry is moved, not copied).
pub(super) fn into_place_feature(p: Place) -> Option<Feature> {
    Some(Feature {
        id: place_id(p.kode.as_str()),
        properties: vec![s("kode", p.kode.as_str()), s("nama", p.nama)],
        geometry: Geometry::MultiPolygon(p.geometry?),
    })
}

pub(super) fn place_feature(p: &Place) -> Option<Feature> {
    Some(Feature {
        id: place_id(p.kode.as_str()),
        geometry: Geometry::MultiPolygon(p.geometry.clone()?),
        properties: vec![s("kode", p.kode.as_str()), s("nama", p.nama.clone())],
    })
}

pub(super) fn jaringan_feature(r: kumuh_domain::jaringan::Ruas) -> Feature {
    Feature {
        id: feature_id(&r.kode),
        properties: vec![
            s("kode", r.kode.clone()),
            s("jenis", r.jenis.as_str()),
            s("kondisi", r.kondisi.as_str()),
            ("rusak".into(), Value::Bool(r.kondisi.is_rusak())),
            ("contoh".into(), Value::Bool(r.contoh)),
        ],
        geometry: Geometry::MultiLineString(r.geometry),
    }
}

/// A place's label point: a point inside its polygon (the same as `/api/places/labels`).
pub(super) fn label_feature(p: &Place) -> Option<Feature> {
    let point = p.label_point()?;
    Some(Feature {
        id: place_id(p.kode.as_str()),
        geometry: Geometry::Point(point),
        properties: vec![
            s("kode", p.kode.as_str()),
            s("nama", p.nama.clone()),
            s("level", p.level().as_str()),
        ],
    })
}

pub(super) fn lokasi_feature(
    l: &LokasiKumuh,
    latest: Option<kumuh_domain::assessment::summary::LatestAssessment<'_>>,
) -> Feature {
    let mut properties = vec![
        s("kode", l.kode.clone()),
        s("nama", l.nama.clone()),
        s("kode_desa", l.kode_desa.as_str()),
    ];
    if let Some(a) = latest {
        properties.push(s("kelas", a.kelas));
        properties.push(("total".into(), Value::from(a.total)));
        if let Some(p) = a.prioritas {
            properties.push(s("prioritas", p));
        }
        properties.push(("tahun".into(), Value::from(u32::from(a.tahun))));
    }
    Feature {
        id: feature_id(&l.kode),
        geometry: Geometry::MultiPolygon(l.geometry.clone()),
        properties,
    }
}

pub(super) fn segmen_features(k: &Kegiatan) -> Vec<Feature> {
    let summary = k.summary().ok();
    k.segmen()
        .iter()
        .enumerate()
        .map(|(i, seg)| {
            let mut properties = vec![
                s("kegiatan_id", k.id().as_str()),
                s("segmen_id", seg.id().as_str()),
                s("kegiatan", k.nama.clone()),
                s("segmen", seg.nama.clone()),
                s("status", seg.status().as_str()),
                s("kode_desa", k.kode_desa().as_str()),
                ("contoh".into(), Value::Bool(k.contoh)),
            ];
            if let Some(src) = summary
                .as_ref()
                .and_then(|sm| sm.segmen.get(i))
                .and_then(|sm| sm.sumber_utama())
            {
                properties.push(s("sumber_utama", src.as_str()));
            }
            Feature {
                id: segmen_id(k, seg.id().as_str()),
                geometry: seg.geometry().clone(),
                properties,
            }
        })
        .collect()
}

pub(super) fn segmen_id(k: &Kegiatan, segmen: &str) -> u64 {
    feature_id(&format!("{}/{segmen}", k.id()))
}

/// The features of a layer that is not a place level nor the labels.
pub(super) async fn features_of(
    store: &dyn Store,
    layer: &str,
) -> Result<Vec<Feature>, TilesError> {
    Ok(match layer {
        "lokasi" => {
            let records = store.assessments(&AssessmentQuery::default()).await?;
            let latest = latest_assessments(&records);
            store
                .list_lokasi(None)
                .await?
                .iter()
                .map(|l| lokasi_feature(l, latest(&l.kode)))
                .collect()
        }
        "jaringan" => store
            .jaringan(None)
            .await?
            .into_iter()
            .map(jaringan_feature)
            .collect(),
        "segmen" => store
            .list_kegiatan(&KegiatanQuery::default())
            .await?
            .iter()
            .flat_map(|k| segmen_features(&k.kegiatan))
            .collect(),
        _ => Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_codes_are_their_digits() {
        assert_eq!(place_id("35.19.09.2014"), 3_519_092_014);
        assert_ne!(feature_id("SKL-01"), feature_id("SKL-02"));
    }
}
