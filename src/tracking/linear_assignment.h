#pragma once
// Minimum-cost assignment of rows to columns, with the same answers as SciPy's
// `linear_sum_assignment`, which supervision's ByteTrack calls. No Debian C++ package provides a
// rectangular assignment solver, so it is written here: the shortest augmenting path method
// (Jonker-Volgenant family, as described by Crouse, "On implementing 2D rectangular assignment
// algorithms", 2016), with SciPy's tie-breaking (an unassigned column wins a tie, columns are scanned
// from the last to the first) so that equal-cost alternatives resolve the same way.

#include <cstddef>
#include <span>
#include <utility>
#include <vector>

namespace sn44::tracking {

// A row-major cost matrix. Single precision because ByteTrack's cost matrices are float32 arrays:
// its clamping and threshold comparisons happen in float32, and only the solver works in double.
struct CostMatrix {
  size_t rows = 0;
  size_t cols = 0;
  std::vector<float> values;  // rows * cols

  float at(size_t row, size_t col) const { return values[row * cols + col]; }
  float& at(size_t row, size_t col) { return values[row * cols + col]; }

  // Reshapes to rows x cols, reusing the storage (callers refill every entry).
  void resize(size_t new_rows, size_t new_cols) {
    rows = new_rows;
    cols = new_cols;
    values.resize(rows * cols);
  }
};

// The assignment of min(rows, cols) pairs minimising the total cost, as (row, col) pairs in
// ascending row order. Costs must be finite.
std::vector<std::pair<size_t, size_t>> solve_assignment(const CostMatrix& cost);

// What ByteTrack's `linear_assignment(cost, thresh)` returns: the optimal assignment on the costs
// clamped to thresh + 1e-4, keeping only pairs whose cost is at most `threshold` (ascending rows),
// and the rows and columns left unmatched, in the order ByteTrack iterates them (see
// python_set_difference_order). Clamps `cost` in place.
struct AssignmentResult {
  std::vector<std::pair<size_t, size_t>> matches;
  std::vector<size_t> unmatched_rows;
  std::vector<size_t> unmatched_cols;
};
AssignmentResult assign_with_threshold(CostMatrix& cost, double threshold);

// The order in which CPython iterates `set(range(count)) - set(removed)` for distinct small
// integers: ByteTrack builds its unmatched lists that way, and the order decides which new detection
// takes the next id. When the difference is built by insertion into a fresh set, its hash table can
// be smaller than `count`, so larger integers wrap around and come first (e.g. count 10, removed
// {0, 1, 2, 3, 5, 6, 7, 9}: 8 then 4). Reproduces CPython 3.x's set_difference: the copy-and-discard
// path (ascending) when count / 4 > len(removed), otherwise insertion into a table that starts at 8
// slots, grows to the smallest power of two above 4 * used when 5 * fill >= 3 * mask, and probes
// linearly (9 slots) then with perturbation.
std::vector<size_t> python_set_difference_order(size_t count, const std::vector<bool>& removed);

}  // namespace sn44::tracking
