//! Work over many independent items on every core: the items are cut into runs of
//! consecutive indices, one thread each, and the results come back in index order.
//! Used where one file or one write holds thousands of geometries to check or measure.

/// `f(i)` for every `i` in `0..n`, in order, computed on up to
/// `std::thread::available_parallelism()` threads in runs of at least `min_run` items
/// (fewer items run on the calling thread). A panic in `f` is resumed on the caller.
///
/// # Examples
/// ```
/// let squares = kumuh_domain::paralel::map(10_000, 256, |i| i * i);
/// assert_eq!(squares[9_999], 9_999 * 9_999);
/// ```
pub fn map<T, F>(n: usize, min_run: usize, f: F) -> Vec<T>
where
    T: Send,
    F: Fn(usize) -> T + Sync,
{
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    let per = n.div_ceil(threads).max(min_run.max(1));
    if threads <= 1 || n <= per {
        return (0..n).map(f).collect();
    }
    let f = &f;
    std::thread::scope(|s| {
        let runs: Vec<_> = (0..n)
            .step_by(per)
            .map(|start| s.spawn(move || (start..(start + per).min(n)).map(f).collect::<Vec<T>>()))
            .collect();
        runs.into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}
