//! An offline package of several archives in one file: a ZIP whose entries are stored
//! as they are (no compression: tiles are compressed already), so a reader finds each
//! entry's bytes at one offset and can read it in place, as the viewer does with the
//! PMTiles archives in it.

use std::io::Write;

use super::ExportError;

/// The most bytes a package holds in all: a ZIP without its 64-bit extension addresses
/// 4 GiB.
pub const MAX_PAKET_BYTE: u64 = u32::MAX as u64 - (1 << 20);

/// Writes `files` (name, bytes) as a ZIP of stored entries, in their order. Names must
/// be plain file names (no folder, no `..`); the sum of the files is at most
/// [`MAX_PAKET_BYTE`].
pub fn write_paket_zip(files: &[(&str, &[u8])]) -> Result<Vec<u8>, ExportError> {
    let layer_error = |message: String| ExportError::Layer {
        layer: "paket".to_owned(),
        message,
    };
    let total: u64 = files.iter().map(|(_, b)| b.len() as u64).sum();
    if total > MAX_PAKET_BYTE {
        return Err(layer_error(format!(
            "the package would hold {total} bytes, more than {MAX_PAKET_BYTE}; choose a smaller area"
        )));
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(
        usize::try_from(total).unwrap_or(0) + 512 * files.len(),
    )));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(false);
    for (name, bytes) in files {
        if name.is_empty()
            || name.contains(['/', '\\'])
            || *name == ".."
            || name.chars().any(char::is_control)
        {
            return Err(layer_error(format!("{name:?} is not a plain file name")));
        }
        zip.start_file(*name, options)
            .and_then(|()| zip.write_all(bytes).map_err(Into::into))
            .map_err(|e| layer_error(format!("writing {name} into the zip: {e}")))?;
    }
    let cursor = zip
        .finish()
        .map_err(|e| layer_error(format!("finishing the zip: {e}")))?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_stored_in_order_and_read_back_in_place() {
        let a = b"PMTiles\x03 atlas".repeat(100);
        let b = b"PMTiles\x03 peta dasar".repeat(50);
        let bytes =
            write_paket_zip(&[("kumuh-35.19.09.pmtiles", &a), ("dasar.pmtiles", &b)]).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        assert_eq!(archive.len(), 2);
        for (i, (name, want)) in [("kumuh-35.19.09.pmtiles", &a), ("dasar.pmtiles", &b)]
            .into_iter()
            .enumerate()
        {
            let entry = archive.by_index(i).unwrap();
            assert_eq!(entry.name().unwrap(), name);
            assert_eq!(entry.compression(), zip::CompressionMethod::Stored);
            // Stored: the bytes sit whole at the entry's data offset.
            let start = usize::try_from(entry.data_start().unwrap()).unwrap();
            assert_eq!(&bytes[start..start + want.len()], want.as_slice());
        }
    }

    #[test]
    fn a_name_with_a_folder_is_refused() {
        for name in ["../x.pmtiles", "a/b.pmtiles", "", "a\\b"] {
            let e = write_paket_zip(&[(name, b"x")]).unwrap_err().to_string();
            assert!(e.contains("not a plain file name"), "{name}: {e}");
        }
    }
}
