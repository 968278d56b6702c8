//! Work on many items at once on every core, with results handed back in the items' order.
//!
//! `hagen check DIR` checks files independently, so a folder is checked on all cores; but its
//! output must be the same bytes, in the same order, as checking the files one by one. So the
//! threads take items in turn, each result waits in a window until those before it have been
//! handed to the caller, and a thread does not take an item more than [`WINDOW`] places ahead
//! of the next one to hand over: the window bounds how many results are held at once, whatever
//! the number of items. `hagen build` uses the same for its emitters (a group's scripts are
//! one item), whose package is sorted by path anyway, and the human output for the snippets of
//! a long list of diagnostics.
//!
//! The threads are started once per call, not once per window: a script with 200,000
//! findings is drawn in one call, and starting two threads per few hundred snippets cost more
//! system time than the drawing. Plain scoped threads (`std::thread::scope`), a mutex and two
//! condition variables, sized by `available_parallelism`: no thread pool crate is needed for
//! one loop.

use std::collections::VecDeque;
use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::thread;

/// How far ahead of the next result to hand over a thread may take items: enough to keep
/// every core busy while the longest file of the window is checked, few enough to hold little
/// memory (with the results being handed over, twice this many at most).
const WINDOW: usize = 256;

/// The most items a thread of [`map_small_in_order`] takes at once: one lock and, at most,
/// one wake-up of the caller per batch instead of per item. A snippet of a 200,000-finding
/// script takes microseconds; taken one at a time, the threads and the caller took turns on
/// the lock some 47,000 times in a one-second run (each a context switch, dear in a VM).
const BATCH: usize = 32;

/// How many items a thread takes at once out of `count` shared by `threads`: enough batches
/// per thread (64) that the last ones end close together.
fn batch(count: usize, threads: usize) -> usize {
    (count / (threads * 64)).clamp(1, BATCH)
}

/// How many threads to use: the cores this process may run on (1 when unknown).
pub fn threads() -> usize {
    thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// Runs `work` on every item on up to `threads` threads and calls `each` with the results in
/// the order of `items`, on the calling thread. With one thread or one item nothing is
/// spawned. A panic in `work` is not caught here; the caller catches what it expects.
pub fn map_in_order<T, R>(items: Vec<T>, threads: usize, work: impl Fn(T) -> R + Sync, each: impl FnMut(R))
where
    T: Send,
    R: Send,
{
    run(items, threads, 1, work, each);
}

/// [`map_in_order`] for many items of about the same small cost (the snippets of a long list
/// of findings): a thread takes up to [`BATCH`] at once. Not for items of uneven cost (files,
/// emitters): a batch is one thread's, so a large item would hold up the others taken with it.
pub fn map_small_in_order<T, R>(items: Vec<T>, threads: usize, work: impl Fn(T) -> R + Sync, each: impl FnMut(R))
where
    T: Send,
    R: Send,
{
    let batch = batch(items.len(), threads.max(1));
    run(items, threads, batch, work, each);
}

fn run<T, R>(items: Vec<T>, threads: usize, batch: usize, work: impl Fn(T) -> R + Sync, mut each: impl FnMut(R))
where
    T: Send,
    R: Send,
{
    let threads = threads.min(items.len());
    if threads <= 1 {
        items.into_iter().for_each(|item| each(work(item)));
        return;
    }
    let count = items.len();
    let shared = Shared {
        batch,
        state: Mutex::new(State {
            items: items.into_iter(),
            taken: 0,
            handed: 0,
            window: VecDeque::with_capacity(WINDOW),
            stop: false,
            caller_waits: false,
            threads_waiting: 0,
        }),
        ready: Condvar::new(),
        room: Condvar::new(),
    };
    thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| shared.work(&work));
        }
        // Whatever ends this loop, a panic of `each` included, the threads stop taking items.
        let _stop = StopOnDrop(&shared);
        let mut handed = 0;
        let mut ready = Vec::new();
        while handed < count {
            shared.next_results(&mut ready);
            handed += ready.len();
            for result in ready.drain(..) {
                match result {
                    Ok(result) => each(result),
                    Err(payload) => panic::resume_unwind(payload),
                }
            }
        }
    });
}

struct Shared<T, R> {
    /// Items a thread takes at once (never past the window).
    batch: usize,
    state: Mutex<State<T, R>>,
    /// A result has arrived: the caller may have one to hand over.
    ready: Condvar,
    /// A result has been handed over, or the work stops: the window has room again.
    room: Condvar,
}

struct State<T, R> {
    items: std::vec::IntoIter<T>,
    /// Items taken by a thread so far: the next one to take is `taken`.
    taken: usize,
    /// Results handed to the caller so far.
    handed: usize,
    /// The results of items `handed..taken`, each `None` until its thread is done.
    window: VecDeque<Option<thread::Result<R>>>,
    stop: bool,
    /// Who waits: a wake-up is a system call, made only for someone waiting.
    caller_waits: bool,
    threads_waiting: usize,
}

impl<T, R> Shared<T, R> {
    fn lock(&self) -> MutexGuard<'_, State<T, R>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// One thread: takes the next items (a batch) while the window has room, works on them
    /// unlocked, and puts the results in their places. A panic in `work` is carried to the
    /// caller with its own message, as if `work` had run there; the items after it in the
    /// batch are not worked on.
    fn work(&self, work: &impl Fn(T) -> R) {
        let mut taken = Vec::with_capacity(self.batch);
        let mut results = Vec::with_capacity(self.batch);
        let mut state = self.lock();
        loop {
            while !state.stop && state.taken - state.handed >= WINDOW {
                state.threads_waiting += 1;
                state = self.room.wait(state).unwrap_or_else(|e| e.into_inner());
                state.threads_waiting -= 1;
            }
            if state.stop {
                return;
            }
            let room = WINDOW - (state.taken - state.handed);
            taken.extend(state.items.by_ref().take(self.batch.min(room)));
            if taken.is_empty() {
                return;
            }
            let first = state.taken;
            state.taken += taken.len();
            state.window.extend(taken.iter().map(|_| None));
            drop(state);
            for item in taken.drain(..) {
                let result = panic::catch_unwind(AssertUnwindSafe(|| work(item)));
                let failed = result.is_err();
                results.push(result);
                if failed {
                    break;
                }
            }
            // After a panic the rest of the batch is dropped unworked: the caller stops at
            // the panic, so no result after it is ever handed over.
            taken.clear();
            state = self.lock();
            let at = first - state.handed;
            for (slot, result) in state.window.range_mut(at..).zip(results.drain(..)) {
                *slot = Some(result);
            }
            if at == 0 && state.caller_waits {
                self.ready.notify_one();
            }
        }
    }

    /// The next results in item order into `out`: every one ready, after waiting for the
    /// first. Taking them together takes the lock once for many results.
    fn next_results(&self, out: &mut Vec<thread::Result<R>>) {
        let mut state = self.lock();
        while !matches!(state.window.front(), Some(Some(_))) {
            state.caller_waits = true;
            state = self.ready.wait(state).unwrap_or_else(|e| e.into_inner());
            state.caller_waits = false;
        }
        while let Some(Some(_)) = state.window.front() {
            out.extend(state.window.pop_front().flatten());
        }
        state.handed += out.len();
        if state.threads_waiting > 0 {
            self.room.notify_all();
        }
    }
}

/// Tells the threads to stop when the caller's loop ends, normally or not.
struct StopOnDrop<'a, T, R>(&'a Shared<T, R>);

impl<T, R> Drop for StopOnDrop<'_, T, R> {
    fn drop(&mut self) {
        self.0.lock().stop = true;
        self.0.room.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Some items take much longer than others, so that threads finish out of order.
    fn uneven(i: &u64) -> u64 {
        let rounds = if i.is_multiple_of(7) { 20_000 } else { 10 };
        (0..rounds).fold(*i, |acc, r| acc.wrapping_mul(31).wrapping_add(r)) % 1_000 + i * 1_000
    }

    #[test]
    fn results_come_in_item_order_across_windows_and_thread_counts() {
        let items: Vec<u64> = (0..(2 * WINDOW as u64 + 37)).collect();
        let expected: Vec<u64> = items.iter().map(uneven).collect();
        for threads in [1, 2, 3, 8] {
            let mut got = Vec::new();
            map_in_order(items.clone(), threads, |i| uneven(&i), |r| got.push(r));
            assert_eq!(got, expected, "with {threads} threads");
        }
    }

    #[test]
    fn many_items_are_taken_in_batches_and_still_come_in_order() {
        assert_eq!(
            (batch(200_000, 2), batch(5_000, 2), batch(100, 2), batch(3, 8)),
            (BATCH, 39.min(BATCH), 1, 1)
        );
        let items: Vec<u64> = (0..20_000).collect();
        let expected: Vec<u64> = items.iter().map(uneven).collect();
        let mut got = Vec::new();
        map_small_in_order(items, 2, |i| uneven(&i), |r| got.push(r));
        assert_eq!(got, expected);
    }

    #[test]
    fn a_panic_inside_a_batch_reaches_the_caller_after_the_results_before_it() {
        let mut handed = Vec::new();
        let caught = panic::catch_unwind(AssertUnwindSafe(|| {
            map_small_in_order(
                (0..10_000).collect(),
                2,
                |i: u32| {
                    assert!(i != 5_005, "item {i}");
                    i
                },
                |i| handed.push(i),
            );
        }));
        let payload = caught.expect_err("the panic reaches the caller");
        assert_eq!(payload.downcast_ref::<String>().map(String::as_str), Some("item 5005"));
        assert_eq!(handed, (0..5_005).collect::<Vec<_>>());
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
    fn a_panic_of_the_caller_stops_the_threads() {
        // The threads would otherwise wait for room in the window for ever, and the scope
        // would never end.
        let caught = panic::catch_unwind(AssertUnwindSafe(|| {
            map_in_order(
                (0..10 * WINDOW).collect(),
                2,
                |i: usize| i,
                |i| assert!(i != 3, "caller"),
            );
        }));
        assert!(caught.is_err());
    }

    #[test]
    fn a_window_of_results_is_held_at_most() {
        let started = AtomicUsize::new(0);
        let mut most_ahead = 0;
        let mut handed = 0;
        map_in_order(
            (0..8 * WINDOW).collect(),
            4,
            |i: usize| {
                started.fetch_add(1, Ordering::SeqCst);
                i
            },
            |_| {
                handed += 1;
                most_ahead = most_ahead.max(started.load(Ordering::SeqCst) - handed);
            },
        );
        assert!(most_ahead <= 2 * WINDOW, "{most_ahead} results ahead");
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
