//! The geometry of a segment: which unit it can carry, the checks it must pass, and its
//! geodesic size.

use geo::{CoordsIter, Geodesic, Length};
use geo_types::{Coord, Geometry, MultiPolygon};

use super::satuan::{GeometryKind, Satuan, Terukur, Volume};
use crate::geometry::{
    MAX_VERTICES_DRAWN, coord_problem, geometry_type_name, vertex_limit_problem,
};
use crate::works::error::{Result, WorksError};

pub(super) fn check_rencana(
    label: &str,
    geometry: &Geometry<f64>,
    volume_rencana: Option<Volume>,
    satuan: Satuan,
) -> Result<()> {
    check_vertex_count(label, geometry)?;
    let kind = classify(geometry).map_err(|m| WorksError::field(label, "geometry", m))?;
    check_fit(label, geometry, kind, volume_rencana, satuan)
}

/// The checks a stored segment passes again on every read, each linear in its size: the
/// vertex limit, finite coordinates in range, the geometry type against the unit and the
/// stored measure. Rings were checked for crossings when it was written
/// ([`check_rencana`]); that is not repeated.
pub(super) fn check_stored_rencana(
    label: &str,
    geometry: &Geometry<f64>,
    volume_rencana: Option<Volume>,
    satuan: Satuan,
    terukur: Terukur,
) -> Result<()> {
    check_vertex_count(label, geometry)?;
    let invalid = |m: String| WorksError::field(label, "geometry", m);
    let kind = kind_of(geometry).ok_or_else(|| {
        invalid(format!(
            "a {} cannot be a segment",
            geometry_type_name(geometry)
        ))
    })?;
    if let Some(m) = geometry.coords_iter().find_map(coord_problem) {
        return Err(invalid(m));
    }
    let open_ring = |p: &geo_types::Polygon<f64>| {
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .any(|r| r.0.len() < 4 || r.0.first() != r.0.last())
    };
    let rings_open = match geometry {
        Geometry::Polygon(p) => open_ring(p),
        Geometry::MultiPolygon(mp) => mp.0.is_empty() || mp.0.iter().any(open_ring),
        _ => false,
    };
    if rings_open {
        return Err(invalid(
            "a stored ring is not closed or has fewer than 4 points".to_owned(),
        ));
    }
    let fits = matches!(
        (kind, terukur),
        (GeometryKind::Garis, Terukur::PanjangM(_)) | (GeometryKind::Area, Terukur::LuasM2(_))
    );
    if !fits || !terukur.value().is_finite() || terukur.value() < 0.0 {
        return Err(WorksError::field(
            label,
            "terukur",
            format!(
                "the stored measure {terukur:?} does not fit a {}",
                geometry_type_name(geometry)
            ),
        ));
    }
    check_fit(label, geometry, kind, volume_rencana, satuan)
}

fn check_vertex_count(label: &str, geometry: &Geometry<f64>) -> Result<()> {
    let count = geometry.coords_count();
    match vertex_limit_problem(count, MAX_VERTICES_DRAWN) {
        Some(m) => Err(WorksError::field(
            label,
            "geometry",
            format!("the geometry has {m}"),
        )),
        None => Ok(()),
    }
}

fn check_fit(
    label: &str,
    geometry: &Geometry<f64>,
    kind: GeometryKind,
    volume_rencana: Option<Volume>,
    satuan: Satuan,
) -> Result<()> {
    if !satuan.fits(kind) {
        let needs = match satuan {
            Satuan::M => "a line",
            Satuan::M2 => "a polygon",
            Satuan::Unit | Satuan::Kk => "any",
        };
        return Err(WorksError::field(
            label,
            "satuan",
            format!(
                "unit {satuan} needs {needs} geometry, but the geometry is a {}",
                geometry_type_name(geometry)
            ),
        ));
    }
    if volume_rencana.is_some_and(Volume::is_zero) {
        return Err(WorksError::field(
            label,
            "volume_rencana",
            "a planned volume must be more than zero; leave it out when unknown",
        ));
    }
    Ok(())
}

fn check_coords<'a>(coords: impl IntoIterator<Item = &'a Coord<f64>>) -> Result<(), String> {
    coords
        .into_iter()
        .find_map(|c| coord_problem(*c))
        .map_or(Ok(()), Err)
}

/// The kind a geometry type makes, without checking the geometry.
pub(super) fn kind_of(g: &Geometry<f64>) -> Option<GeometryKind> {
    match g {
        Geometry::Point(_) | Geometry::MultiPoint(_) => Some(GeometryKind::Titik),
        Geometry::Line(_) | Geometry::LineString(_) | Geometry::MultiLineString(_) => {
            Some(GeometryKind::Garis)
        }
        Geometry::Polygon(_) | Geometry::MultiPolygon(_) => Some(GeometryKind::Area),
        _ => None,
    }
}

/// What kind of segment geometry this is, or why it cannot be one.
fn classify(g: &Geometry<f64>) -> Result<GeometryKind, String> {
    let polygons =
        |mp: MultiPolygon<f64>| match crate::geometry::validate_area_geometry(&mp).first() {
            Some(issue) => Err(issue.to_string()),
            None => Ok(GeometryKind::Area),
        };
    match g {
        Geometry::Point(p) => check_coords([&p.0]).map(|()| GeometryKind::Titik),
        Geometry::MultiPoint(mp) => {
            if mp.0.is_empty() {
                return Err("the multipoint is empty".to_owned());
            }
            check_coords(mp.0.iter().map(|p| &p.0)).map(|()| GeometryKind::Titik)
        }
        Geometry::Line(l) => check_coords([&l.start, &l.end]).map(|()| GeometryKind::Garis),
        Geometry::LineString(ls) => {
            if ls.0.len() < 2 {
                return Err(format!(
                    "a line needs at least 2 points, got {}",
                    ls.0.len()
                ));
            }
            check_coords(&ls.0).map(|()| GeometryKind::Garis)
        }
        Geometry::MultiLineString(mls) => {
            if mls.0.is_empty() {
                return Err("the multilinestring is empty".to_owned());
            }
            for (i, ls) in mls.0.iter().enumerate() {
                if ls.0.len() < 2 {
                    return Err(format!(
                        "line {i} needs at least 2 points, got {}",
                        ls.0.len()
                    ));
                }
                check_coords(&ls.0).map_err(|m| format!("line {i}: {m}"))?;
            }
            Ok(GeometryKind::Garis)
        }
        Geometry::Polygon(p) => polygons(MultiPolygon(vec![p.clone()])),
        Geometry::MultiPolygon(mp) => polygons(mp.clone()),
        other => Err(format!(
            "a {} cannot be a segment; use a line, polygon or point",
            geometry_type_name(other)
        )),
    }
}

pub(super) fn measure(g: &Geometry<f64>) -> Option<Terukur> {
    match g {
        Geometry::Line(l) => Some(Terukur::PanjangM(Geodesic.length(l))),
        Geometry::LineString(ls) => Some(Terukur::PanjangM(Geodesic.length(ls))),
        Geometry::MultiLineString(mls) => Some(Terukur::PanjangM(Geodesic.length(mls))),
        Geometry::Polygon(p) => Some(Terukur::LuasM2(crate::geometry::polygon_area_m2(p))),
        Geometry::MultiPolygon(mp) => Some(Terukur::LuasM2(crate::geometry::geodesic_area_m2(mp))),
        _ => None,
    }
}
