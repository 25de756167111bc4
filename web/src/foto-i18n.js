// Strings of the segment photos (foto.js), Bahasa Indonesia first. The language is the
// viewer's (./i18n.js).
import { translator } from './i18n.js';

const DICT = {
  id: {
    'foto.title': 'Foto dokumentasi',
    'foto.none': 'Belum ada foto.',
    'foto.gagal': 'Foto tidak dapat dimuat.',
    'foto.tahap': 'Tahap',
    'foto.tahap.0': '0% (sebelum)',
    'foto.tahap.50': '50%',
    'foto.tahap.100': '100% (selesai)',
    'foto.tahap.bebas': 'Bebas',
    'foto.berkas': 'Berkas foto (JPEG, PNG atau WebP, paling besar 15 MB)',
    'foto.unggah': 'Unggah',
    'foto.mengunggah': 'Mengunggah…',
    'foto.pilih': 'Pilih berkas foto dulu.',
    'foto.buka': 'Buka foto ukuran penuh',
    'foto.alt': 'Foto tahap {tahap}',
    'foto.hapus': 'Hapus foto',
    'foto.hapus.tanya': 'Hapus foto ini? Penghapusan dicatat di riwayat.',
  },
  en: {
    'foto.title': 'Photos',
    'foto.none': 'No photos yet.',
    'foto.gagal': 'The photos could not be loaded.',
    'foto.tahap': 'Stage',
    'foto.tahap.0': '0% (before)',
    'foto.tahap.50': '50%',
    'foto.tahap.100': '100% (finished)',
    'foto.tahap.bebas': 'Free',
    'foto.berkas': 'Photo file (JPEG, PNG or WebP, at most 15 MB)',
    'foto.unggah': 'Upload',
    'foto.mengunggah': 'Uploading…',
    'foto.pilih': 'Choose a photo file first.',
    'foto.buka': 'Open the full-size photo',
    'foto.alt': 'Photo, stage {tahap}',
    'foto.hapus': 'Delete photo',
    'foto.hapus.tanya': 'Delete this photo? The deletion is recorded in the history.',
  },
};

/** A string of the segment photos in the viewer's language, with `{name}` filled in. */
export const ft = translator(DICT);
