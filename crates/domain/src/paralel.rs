//! Work over many independent items on every core: the items are cut into runs of
//! consecutive indices, one thread each, and the results come back in index order.
//! Used where one file or one write holds thousands of geometries to check or measure.

use std::time::Duration;

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
    // Unit items take no memory: only their indices matter here.
    run(vec![(); n], min_run, |i, ()| f(i), None)
}

/// [`map`] over owned items: `f(i, item)` for every item of `items`, in order, each run
/// of items moved to the thread that handles it.
///
/// # Examples
/// ```
/// let words = vec![String::from("a"), String::from("bb")];
/// let lengths = kumuh_domain::paralel::map_owned(words, 1, |i, w| (i, w.len()));
/// assert_eq!(lengths, [(0, 1), (1, 2)]);
/// ```
pub fn map_owned<T, U, F>(items: Vec<T>, min_run: usize, f: F) -> Vec<U>
where
    T: Send,
    U: Send,
    F: Fn(usize, T) -> U + Sync,
{
    run(items, min_run, f, None)
}

/// [`map_owned`] that calls `watch` on the calling thread every 50 ms while the runs are
/// at work (and once before, whether or not the work is split), e.g. to tell progress.
///
/// # Examples
/// ```
/// let mut told = 0;
/// let doubled = kumuh_domain::paralel::map_owned_watched(vec![1, 2, 3], 1, |_, x| 2 * x, || told += 1);
/// assert_eq!(doubled, [2, 4, 6]);
/// assert!(told >= 1);
/// ```
pub fn map_owned_watched<T, U, F>(
    items: Vec<T>,
    min_run: usize,
    f: F,
    mut watch: impl FnMut(),
) -> Vec<U>
where
    T: Send,
    U: Send,
    F: Fn(usize, T) -> U + Sync,
{
    run(items, min_run, f, Some(&mut watch))
}

fn run<T, U, F>(items: Vec<T>, min_run: usize, f: F, watch: Option<&mut dyn FnMut()>) -> Vec<U>
where
    T: Send,
    U: Send,
    F: Fn(usize, T) -> U + Sync,
{
    let n = items.len();
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    let per = n.div_ceil(threads).max(min_run.max(1));
    if threads <= 1 || n <= per {
        if let Some(watch) = watch {
            watch();
        }
        return items
            .into_iter()
            .enumerate()
            .map(|(i, t)| f(i, t))
            .collect();
    }
    let mut rest = items.into_iter();
    let runs: Vec<(usize, Vec<T>)> = (0..n)
        .step_by(per)
        .map(|start| (start, rest.by_ref().take(per).collect()))
        .collect();
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = runs
            .into_iter()
            .map(|(start, run)| {
                s.spawn(move || {
                    run.into_iter()
                        .enumerate()
                        .map(|(k, t)| f(start + k, t))
                        .collect::<Vec<U>>()
                })
            })
            .collect();
        if let Some(watch) = watch {
            loop {
                watch();
                if handles.iter().all(|h| h.is_finished()) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}
