//! A place as the columns both backends store it in (all but its geometry, which each
//! encodes its own way), made once per write, and bound in the one order both backends'
//! statements name them: geometry, code, parent, BPS code, name, other names, area,
//! search keys, attributes.

/// Binds a row's geometry (`$r.geom`) and its [`PlaceColumns`] to a query, in that order.
macro_rules! bind_place {
    ($q:expr, $r:expr) => {
        $q.bind($r.geom.as_deref())
            .bind($r.kode)
            .bind($r.kode_induk.as_deref())
            .bind($r.kode_bps)
            .bind($r.nama)
            .bind($r.nama_alt.as_str())
            .bind($r.luas_ha)
            .bind($r.kunci_cari.as_str())
            .bind($r.atribut.as_str())
    };
}
pub(crate) use bind_place;

use geo_types::MultiPolygon;
use kumuh_domain::Place;
use kumuh_domain::search::search_keys;

/// A place's columns but its geometry.
pub(crate) struct PlaceColumns<'a> {
    /// Its level's table.
    pub table: &'static str,
    pub kode: &'a str,
    pub kode_induk: Option<String>,
    pub kode_bps: Option<&'a str>,
    pub nama: &'a str,
    /// The other names, as a JSON list.
    pub nama_alt: String,
    pub luas_ha: Option<f64>,
    /// The search keys, `|`-separated and framed.
    pub kunci_cari: String,
    /// The attributes, as a JSON object.
    pub atribut: String,
}

impl<'a> PlaceColumns<'a> {
    /// The columns of `p`, its area measured.
    pub fn new(p: &'a Place) -> PlaceColumns<'a> {
        let keys: Vec<String> = search_keys(&p.nama, &p.nama_alt).collect();
        PlaceColumns {
            table: p.level().as_str(),
            kode: p.kode.as_str(),
            kode_induk: p.kode.parent().map(String::from),
            kode_bps: p.kode_bps.as_deref(),
            nama: &p.nama,
            nama_alt: serde_json::Value::from(p.nama_alt.clone()).to_string(),
            luas_ha: p.area_ha(),
            kunci_cari: format!("|{}|", keys.join("|")),
            atribut: serde_json::Value::Object(p.attributes.clone()).to_string(),
        }
    }
}

/// A place ready to write: its columns, its geometry encoded by the backend, and its box.
pub(crate) struct PlaceRow<'a> {
    pub cols: PlaceColumns<'a>,
    /// The geometry as the backend stores it.
    pub geom: Option<Vec<u8>>,
    /// The geometry's box (minx, miny, maxx, maxy), for an index built after the write.
    pub bbox: Option<[f64; 4]>,
}

impl<'a> std::ops::Deref for PlaceRow<'a> {
    type Target = PlaceColumns<'a>;
    fn deref(&self) -> &PlaceColumns<'a> {
        &self.cols
    }
}

impl<'a> PlaceRow<'a> {
    /// The row of `p`, its geometry encoded with `encode`.
    pub fn new(
        p: &'a Place,
        encode: impl Fn(&MultiPolygon<f64>) -> crate::Result<Vec<u8>>,
    ) -> crate::Result<PlaceRow<'a>> {
        Ok(PlaceRow {
            cols: PlaceColumns::new(p),
            geom: p.geometry.as_ref().map(encode).transpose()?,
            bbox: p.geometry.as_ref().and_then(kumuh_domain::geometry::bbox),
        })
    }
}
