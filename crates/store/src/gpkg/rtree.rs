//! A feature table's spatial index rebuilt in bulk after a large import.
//!
//! The GeoPackage R-tree triggers (`schema::rtree_sql`) insert one entry per written row,
//! and SQLite's R-tree inserts one entry at a time: choosing a leaf, splitting nodes and
//! rewriting their pages. For an import of tens of thousands of features that is most
//! of the write. So a large import suspends the triggers of the table it writes, writes
//! its rows, and then builds the index again from every row of the table, packed
//! (sort-tile-recursive): nodes filled in one pass and written to the R-tree's tables
//! as SQLite's R-tree module stores them, all in the import's transaction. The triggers
//! are put back, as they were, before it commits; a failure anywhere rolls all of it
//! back. GDAL's GeoPackage writer builds its index after a bulk load for the same
//! reason.
//!
//! The module's layout (SQLite `ext/rtree/rtree.c`): the index of `t` is the virtual table
//! `rtree_t_geom` (id, minx, maxx, miny, maxy) over three tables. `_node(nodeno, data)`
//! holds each node as a blob of the node size: a 2-byte depth (read from the root,
//! node 1, only), a 2-byte cell count, then cells of an 8-byte id (a row's id in a
//! leaf, a child's node number above) and four 4-byte floats, all big-endian, each box
//! rounded outwards to `f32`. `_rowid(rowid, nodeno)` names each row's leaf and
//! `_parent(nodeno, parentnode)` each non-root node's parent. `rtreecheck()` checks a
//! tree built here in the tests.

use sqlx::{AssertSqlSafe, SqliteConnection};

use crate::error::{DbContext, Result};

/// An import writes at least this many rows of a table before its index is rebuilt in
/// bulk (below it, the triggers' inserts cost less than reading the table again).
pub(super) const BULK_ROWS: usize = 2_000;

/// A table whose R-tree triggers are suspended until [`rebuild`].
#[must_use = "the triggers come back only with rebuild"]
pub(super) struct Suspended {
    table: String,
    /// The triggers' `CREATE TRIGGER` statements, as the file had them.
    triggers: Vec<String>,
    /// The index's entries when it was suspended (right for every row not written
    /// since).
    before: Vec<Entry>,
}

impl Suspended {
    /// The table.
    pub(super) fn table(&self) -> &str {
        &self.table
    }
}

/// The rows a write touched while the triggers were suspended: each row's id and its
/// geometry's box (minx, miny, maxx, maxy), `None` for a row without geometry.
pub(super) type Written = Vec<(i64, Option<[f64; 4]>)>;

/// Whether writing `rows` rows into `table` should rebuild its index in bulk: a large
/// write that is not small beside what the table holds already.
pub(super) async fn worth_it(
    conn: &mut SqliteConnection,
    table: &str,
    rows: usize,
) -> Result<bool> {
    if rows < BULK_ROWS {
        return Ok(false);
    }
    let held: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT count(*) FROM rtree_{table}_geom_rowid"
    )))
    .fetch_one(&mut *conn)
    .await
    .ctx(format!("counting the index of {table}"))?;
    // Rebuilding reads every row; worth it while the new rows are a fair part of them.
    Ok(usize::try_from(held).unwrap_or(usize::MAX) <= rows.saturating_mul(4))
}

/// Drops the R-tree triggers of `table` (in the caller's transaction), keeping their
/// statements for [`rebuild`].
pub(super) async fn suspend(conn: &mut SqliteConnection, table: &str) -> Result<Suspended> {
    let triggers =
        super::schema::drop_triggers(conn, table, &format!("rtree_{table}_geom_")).await?;
    // The entries as the leaves hold them (a leaf is a node that is no node's parent):
    // a few thousand blobs rather than a row per entry.
    let leaves: Vec<Vec<u8>> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT data FROM rtree_{table}_geom_node
         WHERE nodeno NOT IN (SELECT parentnode FROM rtree_{table}_geom_parent)"
    )))
    .fetch_all(&mut *conn)
    .await
    .ctx(format!("reading the index of {table}"))?;
    let before = leaves.iter().flat_map(|leaf| cells(leaf)).collect();
    Ok(Suspended {
        table: table.to_owned(),
        triggers,
        before,
    })
}

/// The cells of a node blob (see the module's description of the layout).
fn cells(node: &[u8]) -> impl Iterator<Item = Entry> + '_ {
    let count = node
        .get(2..4)
        .map_or(0, |c| usize::from(u16::from_be_bytes([c[0], c[1]])));
    node.get(4..)
        .unwrap_or_default()
        .chunks_exact(CELL_BYTES)
        .take(count)
        .map(|c| {
            let f =
                |i: usize| f32::from_bits(u32::from_be_bytes([c[i], c[i + 1], c[i + 2], c[i + 3]]));
            Entry {
                id: i64::from_be_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]),
                b: [f(8), f(12), f(16), f(20)],
            }
        })
}

/// Builds the index of the suspended table again, then puts its triggers back. With
/// `written` (the rows the write touched), every other row keeps its entry from before;
/// without it, every row's box is read from the table.
pub(super) async fn rebuild(
    conn: &mut SqliteConnection,
    s: Suspended,
    written: Option<Written>,
) -> Result<()> {
    let t = &s.table;
    let r = format!("rtree_{t}_geom");
    let entries: Vec<Entry> = match written {
        Some(written) => {
            let touched: std::collections::HashSet<i64> = written.iter().map(|w| w.0).collect();
            s.before
                .into_iter()
                .filter(|e| !touched.contains(&e.id))
                .chain(
                    written
                        .into_iter()
                        .filter_map(|(id, b)| b.map(|b| Entry::outward(id, b))),
                )
                .collect()
        }
        None => {
            let boxes: Vec<(i64, f64, f64, f64, f64)> = sqlx::query_as(AssertSqlSafe(format!(
                "SELECT fid, ST_MinX(geom), ST_MinY(geom), ST_MaxX(geom), ST_MaxY(geom) FROM {t}
                 WHERE geom NOT NULL AND NOT ST_IsEmpty(geom)"
            )))
            .fetch_all(&mut *conn)
            .await
            .ctx(format!("reading the extents of {t}"))?;
            boxes
                .into_iter()
                .map(|(id, x0, y0, x1, y1)| Entry::outward(id, [x0, y0, x1, y1]))
                .collect()
        }
    };
    let create: String = sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE name = ?1")
        .bind(&r)
        .fetch_one(&mut *conn)
        .await
        .ctx(format!("reading the definition of {r}"))?;
    for (sql, what) in [
        (format!("DROP TABLE {r}"), "emptying"),
        (create, "creating"),
    ] {
        sqlx::query(AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await
            .ctx(format!("{what} {r}"))?;
    }
    let node_size: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT length(data) FROM {r}_node WHERE nodeno = 1"
    )))
    .fetch_one(&mut *conn)
    .await
    .ctx(format!("reading the node size of {r}"))?;
    let node_size = usize::try_from(node_size).unwrap_or(0);
    // Sorting a large table's boxes is CPU work: off the async workers.
    let tree = tokio::task::spawn_blocking(move || pack(entries, node_size))
        .await
        .map_err(|e| crate::StoreError::Io {
            path: r.clone().into(),
            source: std::io::Error::other(format!("packing the index: {e}")),
        })?;
    write_tree(conn, &r, &tree).await?;
    // The extent in gpkg_contents is read from the index: again, now that it is whole.
    super::touch_contents(&mut *conn, t).await?;
    super::schema::restore_triggers(conn, t, s.triggers).await
}

/// One cell: a row's id (or a child node's number) and its box in the R-tree's column
/// order (minx, maxx, miny, maxy).
#[derive(Debug, Clone, Copy)]
struct Entry {
    id: i64,
    b: [f32; 4],
}

impl Entry {
    /// The cell of a box (minx, miny, maxx, maxy), rounded outwards to `f32` as the
    /// R-tree module stores it.
    fn outward(id: i64, [x0, y0, x1, y1]: [f64; 4]) -> Entry {
        Entry {
            id,
            b: [down(x0), up(x1), down(y0), up(y1)],
        }
    }
}

/// A packed tree: its nodes' blobs by node number (the root is 1), each leaf cell's node,
/// and each non-root node's parent.
#[derive(Debug, Default)]
struct Tree {
    nodes: Vec<(i64, Vec<u8>)>,
    rowid: Vec<(i64, i64)>,
    parent: Vec<(i64, i64)>,
}

/// The largest `f32` not above `d` (the R-tree's lower bounds are rounded down).
fn down(d: f64) -> f32 {
    let f = d as f32;
    if f64::from(f) > d { f.next_down() } else { f }
}

/// The smallest `f32` not below `d`.
fn up(d: f64) -> f32 {
    let f = d as f32;
    if f64::from(f) < d { f.next_up() } else { f }
}

/// Packs `entries` into nodes of `node_size` bytes, sort-tile-recursive: each level's
/// cells sorted by the centre's x, cut into vertical slices, each slice sorted by y and
/// cut into full nodes; the nodes are the next level's cells, up to one root.
fn pack(mut cells: Vec<Entry>, node_size: usize) -> Tree {
    let capacity = node_size.saturating_sub(4) / CELL_BYTES;
    let mut tree = Tree::default();
    // Node 1 is the root; the others are numbered as they are made.
    let mut next_node = 2;
    let mut depth = 0u16;
    let mut leaf_level = true;
    while cells.len() > capacity.max(1) {
        let nodes = str_groups(&mut cells, capacity);
        let mut parents = Vec::with_capacity(nodes.len());
        for group in nodes {
            let nodeno = next_node;
            next_node += 1;
            for c in group {
                if leaf_level {
                    tree.rowid.push((c.id, nodeno));
                } else {
                    tree.parent.push((c.id, nodeno));
                }
            }
            tree.nodes.push((nodeno, node_blob(group, node_size, 0)));
            parents.push(Entry {
                id: nodeno,
                b: union(group),
            });
        }
        cells = parents;
        leaf_level = false;
        depth += 1;
    }
    for c in &cells {
        if leaf_level {
            tree.rowid.push((c.id, 1));
        } else {
            tree.parent.push((c.id, 1));
        }
    }
    tree.nodes.push((1, node_blob(&cells, node_size, depth)));
    tree
}

/// Bytes of one cell: an 8-byte id and four 4-byte coordinates.
const CELL_BYTES: usize = 8 + 4 * 4;

/// The cells cut into nodes of at most `capacity` cells each, in sort-tile-recursive
/// order.
fn str_groups(cells: &mut [Entry], capacity: usize) -> Vec<&[Entry]> {
    let centre = |e: &Entry, axis: usize| f64::from(e.b[2 * axis]) + f64::from(e.b[2 * axis + 1]);
    let pages = cells.len().div_ceil(capacity);
    let slices = (pages as f64).sqrt().ceil().max(1.0) as usize;
    let per_slice = capacity * pages.div_ceil(slices);
    cells.sort_unstable_by(|a, b| centre(a, 0).total_cmp(&centre(b, 0)));
    for slice in cells.chunks_mut(per_slice) {
        slice.sort_unstable_by(|a, b| centre(a, 1).total_cmp(&centre(b, 1)));
    }
    cells
        .chunks(per_slice)
        .flat_map(|slice| slice.chunks(capacity))
        .collect()
}

/// The box around every cell of a node.
fn union(cells: &[Entry]) -> [f32; 4] {
    cells.iter().fold(
        [
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::INFINITY,
            f32::NEG_INFINITY,
        ],
        |a, c| {
            [
                a[0].min(c.b[0]),
                a[1].max(c.b[1]),
                a[2].min(c.b[2]),
                a[3].max(c.b[3]),
            ]
        },
    )
}

/// A node as the R-tree module stores it: depth (the root's), cell count, cells, zeros.
fn node_blob(cells: &[Entry], node_size: usize, depth: u16) -> Vec<u8> {
    let mut data = Vec::with_capacity(node_size);
    data.extend_from_slice(&depth.to_be_bytes());
    data.extend_from_slice(&u16::try_from(cells.len()).unwrap_or(u16::MAX).to_be_bytes());
    for c in cells {
        data.extend_from_slice(&c.id.to_be_bytes());
        for v in c.b {
            data.extend_from_slice(&v.to_bits().to_be_bytes());
        }
    }
    data.resize(node_size, 0);
    data
}

/// Rows per statement when writing the tree (two parameters each).
const WRITE_ROWS: usize = 400;

async fn write_tree(conn: &mut SqliteConnection, r: &str, tree: &Tree) -> Result<()> {
    // The root exists from the table's creation; the other nodes are new.
    for (nodeno, data) in tree.nodes.iter().filter(|n| n.0 == 1) {
        sqlx::query(AssertSqlSafe(format!(
            "UPDATE {r}_node SET data = ?2 WHERE nodeno = ?1"
        )))
        .bind(nodeno)
        .bind(data.as_slice())
        .execute(&mut *conn)
        .await
        .ctx(format!("writing the root of {r}"))?;
    }
    let others: Vec<&(i64, Vec<u8>)> = tree.nodes.iter().filter(|n| n.0 != 1).collect();
    for chunk in others.chunks(NODES_PER_STATEMENT) {
        let values = vec!["(?, ?)"; chunk.len()].join(", ");
        let mut q = sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO {r}_node (nodeno, data) VALUES {values}"
        )));
        for (nodeno, data) in chunk {
            q = q.bind(nodeno).bind(data.as_slice());
        }
        q.execute(&mut *conn)
            .await
            .ctx(format!("writing the nodes of {r}"))?;
    }
    for (table, columns, pairs) in [
        ("rowid", "rowid, nodeno", &tree.rowid),
        ("parent", "nodeno, parentnode", &tree.parent),
    ] {
        for chunk in pairs.chunks(WRITE_ROWS) {
            let values = vec!["(?, ?)"; chunk.len()].join(", ");
            let mut q = sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO {r}_{table} ({columns}) VALUES {values}"
            )));
            for (a, b) in chunk {
                q = q.bind(a).bind(b);
            }
            q.execute(&mut *conn)
                .await
                .ctx(format!("writing the {table} table of {r}"))?;
        }
    }
    Ok(())
}

/// Nodes per statement (about 60 KiB of blobs at SQLite's default page size).
const NODES_PER_STATEMENT: usize = 50;

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(n: i64) -> Vec<Entry> {
        (0..n)
            .map(|i| {
                let (x, y) = ((i % 97) as f32, (i / 97) as f32);
                Entry {
                    id: i + 1,
                    b: [x, x + 0.5, y, y + 0.5],
                }
            })
            .collect()
    }

    #[test]
    fn every_cell_is_in_one_leaf_and_every_node_under_one_parent() {
        let tree = pack(cells(10_000), 1228);
        let mut ids: Vec<i64> = tree.rowid.iter().map(|r| r.0).collect();
        ids.sort_unstable();
        assert_eq!(ids, (1..=10_000).collect::<Vec<_>>());
        // 51 cells a node: 197 leaves, 4 nodes above them, and the root.
        assert_eq!(tree.nodes.len(), 197 + 4 + 1);
        assert_eq!(tree.parent.len(), tree.nodes.len() - 1);
        let root = &tree.nodes.iter().find(|n| n.0 == 1).unwrap().1;
        assert_eq!(root.len(), 1228);
        assert_eq!(u16::from_be_bytes([root[0], root[1]]), 2, "depth");
        assert_eq!(u16::from_be_bytes([root[2], root[3]]), 4, "cells");
    }

    #[test]
    fn a_small_table_is_all_in_the_root() {
        let tree = pack(cells(3), 1228);
        assert_eq!(tree.nodes.len(), 1);
        assert!(tree.rowid.iter().all(|r| r.1 == 1));
        assert!(pack(Vec::new(), 1228).rowid.is_empty());
    }

    #[test]
    fn a_node_reads_back_its_cells() {
        let entries = cells(7);
        let blob = node_blob(&entries, 1228, 0);
        let back: Vec<(i64, [f32; 4])> = cells_of(&blob);
        let want: Vec<(i64, [f32; 4])> = entries.iter().map(|e| (e.id, e.b)).collect();
        assert_eq!(back, want);
    }

    fn cells_of(blob: &[u8]) -> Vec<(i64, [f32; 4])> {
        super::cells(blob).map(|e| (e.id, e.b)).collect()
    }

    #[test]
    fn boxes_round_outwards() {
        for d in [111.493_512_345_6, -7.575_312_345, 0.1, -0.1, 1e-30] {
            assert!(f64::from(down(d)) <= d && f64::from(up(d)) >= d, "{d}");
        }
        assert_eq!(down(0.5), 0.5);
        assert_eq!(up(0.5), 0.5);
    }
}
