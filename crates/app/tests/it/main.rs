mod foto;
mod impor;
