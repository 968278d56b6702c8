//! Work on many items at once on every core, with results handed back in the items' order.
//!
//! `hagen check DIR` checks files independently, so a folder is checked on all cores; but its
//! output must be the same bytes, in the same order, as checking the files one by one. So the
//! items are taken in chunks: the threads of a chunk pick items in turn, each result goes into
//! the slot of its item, and the chunk's results are handed to the caller in order before the
//! next chunk starts. A chunk bounds how many checked files are held at once, whatever the
//! size of the folder. `hagen build` uses the same for its emitters (a group's scripts are
//! one item), whose package is sorted by path anyway.
//!
//! Plain scoped threads (`std::thread::scope`), sized by `available_parallelism`: no thread
//! pool crate is needed for one loop.

use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// Items worked on before their results are handed over: enough to keep every core busy
/// while the longest file of the chunk is checked, few enough to hold little memory.
const CHUNK: usize = 256;

/// How many threads to use: the cores this process may run on (1 when unknown).
pub fn threads() -> usize {
    thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// Runs `work` on every item on up to `threads` threads and calls `each` with the results in
/// the order of `items`, on the calling thread. With one thread or one item nothing is
/// spawned. A panic in `work` is not caught here; the caller catches what it expects.
pub fn map_in_order<T, R>(items: Vec<T>, threads: usize, work: impl Fn(T) -> R + Sync, mut each: impl FnMut(R))
where
    T: Send,
    R: Send,
{
    let threads = threads.min(items.len());
    if threads <= 1 {
        items.into_iter().for_each(|item| each(work(item)));
        return;
    }
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        let chunk: Vec<T> = items.by_ref().take(CHUNK).collect();
        map_chunk(chunk, threads, &work).into_iter().for_each(&mut each);
    }
}

/// One chunk: each thread takes the next untaken item until none is left. A panic in `work`
/// is carried to the calling thread with its own message, as if `work` had run there.
fn map_chunk<T: Send, R: Send>(chunk: Vec<T>, threads: usize, work: &(impl Fn(T) -> R + Sync)) -> Vec<R> {
    let inputs: Vec<Mutex<Option<T>>> = chunk.into_iter().map(|item| Mutex::new(Some(item))).collect();
    let outputs: Vec<Mutex<Option<thread::Result<R>>>> = inputs.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    thread::scope(|scope| {
        for _ in 0..threads.min(inputs.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(input) = inputs.get(i) else { break };
                    let item = input.lock().unwrap_or_else(|e| e.into_inner()).take();
                    let item = item.expect("each item is taken once");
                    let result = panic::catch_unwind(AssertUnwindSafe(|| work(item)));
                    *outputs[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                }
            });
        }
    });
    outputs
        .into_iter()
        .map(|slot| match slot.into_inner().unwrap_or_else(|e| e.into_inner()) {
            Some(Ok(result)) => result,
            Some(Err(payload)) => panic::resume_unwind(payload),
            None => unreachable!("every item was worked on"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Some items take much longer than others, so that threads finish out of order.
    fn uneven(i: &u64) -> u64 {
        let rounds = if i.is_multiple_of(7) { 20_000 } else { 10 };
        (0..rounds).fold(*i, |acc, r| acc.wrapping_mul(31).wrapping_add(r)) % 1_000 + i * 1_000
    }

    #[test]
    fn results_come_in_item_order_across_chunks_and_thread_counts() {
        let items: Vec<u64> = (0..(2 * CHUNK as u64 + 37)).collect();
        let expected: Vec<u64> = items.iter().map(uneven).collect();
        for threads in [1, 2, 3, 8] {
            let mut got = Vec::new();
            map_in_order(items.clone(), threads, |i| uneven(&i), |r| got.push(r));
            assert_eq!(got, expected, "with {threads} threads");
        }
    }

    #[test]
    fn every_item_is_worked_on_once_on_several_threads() {
        let calls = AtomicUsize::new(0);
        let seen = Mutex::new(std::collections::HashSet::new());
        let mut results = 0;
        map_in_order(
            (0..300).collect(),
            4,
            |i: usize| {
                calls.fetch_add(1, Ordering::Relaxed);
                seen.lock().unwrap().insert(thread::current().id());
                // Long enough that one thread cannot take every item before the others start.
                thread::sleep(std::time::Duration::from_millis(1));
                i
            },
            |_| results += 1,
        );
        assert_eq!((calls.into_inner(), results), (300, 300));
        assert!(seen.into_inner().unwrap().len() > 1, "more than one thread worked");
    }

    #[test]
    fn a_panic_reaches_the_caller_with_its_message() {
        let caught = panic::catch_unwind(|| {
            map_in_order((0..10).collect(), 2, |i: u32| assert!(i != 7, "item {i}"), |_| {});
        });
        let payload = caught.expect_err("the panic reaches the caller");
        assert_eq!(payload.downcast_ref::<String>().map(String::as_str), Some("item 7"));
    }

    #[test]
    fn nothing_is_spawned_for_one_item_or_one_thread() {
        let caller = thread::current().id();
        let mut ids = Vec::new();
        map_in_order(vec![1], 4, |_| thread::current().id(), |id| ids.push(id));
        map_in_order(vec![1, 2, 3], 1, |_| thread::current().id(), |id| ids.push(id));
        assert!(ids.iter().all(|id| *id == caller));
        map_in_order(
            Vec::<u8>::new(),
            4,
            |_| unreachable!("no item"),
            |_: ()| unreachable!("no result"),
        );
    }
}
