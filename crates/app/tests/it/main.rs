mod foto;
mod impor;
mod tiles;
