#pragma once
// Minimum-cost assignment of rows to columns, with the same answers as SciPy's
// `linear_sum_assignment`, which supervision's ByteTrack calls. No Debian C++ package provides a
// rectangular assignment solver, so it is written here: the shortest augmenting path method
// (Jonker-Volgenant family, as described by Crouse, "On implementing 2D rectangular assignment
// algorithms", 2016), with SciPy's tie-breaking (an unassigned column wins a tie, columns are scanned
// from the last to the first, a tall matrix is solved transposed) so that equal-cost alternatives
// resolve the same way on the same costs.

#include <cstddef>
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

using Matches = std::vector<std::pair<size_t, size_t>>;  // (row, col)

// What ByteTrack's `linear_assignment(cost, thresh)` returns: the pairs of the optimal assignment
// whose cost is at most the threshold (ascending rows), and the rows and columns left unmatched,
// in the order ByteTrack iterates them (see python_set_difference_order).
struct AssignmentResult {
  Matches matches;
  std::vector<size_t> unmatched_rows;
  std::vector<size_t> unmatched_cols;
};

// Keeps its working storage from call to call, so that the tracker's few small problems per frame
// do not allocate once the sizes have been seen.
class AssignmentSolver {
 public:
  // The assignment of min(rows, cols) pairs minimising the total cost, in ascending row order.
  // Costs must be finite (sn44::Error otherwise). The result is valid until the next call.
  const Matches& solve(const CostMatrix& cost);

  // ByteTrack's linear_assignment: clamps the costs above `threshold` to threshold + 1e-4 (in place,
  // in float32), solves, and keeps the pairs whose cost is at most `threshold`. Fills `result`,
  // reusing its storage.
  void assign_with_threshold(CostMatrix& cost, double threshold, AssignmentResult& result);

 private:
  size_t shortest_augmenting_path(size_t row, double& min_value);
  void assign_row(size_t row);

  const CostMatrix* cost_ = nullptr;  // the matrix being solved, with rows <= cols
  CostMatrix transposed_;
  std::vector<double> row_dual_, col_dual_, path_cost_;
  std::vector<size_t> path_, col_for_row_, row_for_col_, remaining_;
  std::vector<bool> row_visited_, col_visited_, row_matched_, col_matched_;
  Matches pairs_;
  std::vector<size_t> set_scratch_;
};

// The order in which CPython iterates `set(range(n)) - set(removed keys)`, with n = removed.size():
// ByteTrack builds its unmatched lists that way, and the order decides which new detection takes
// the next id. When the difference is built by insertion into a fresh set, its hash table can be
// smaller than n, so larger integers wrap around and come first (e.g. n = 10 with all but 4 and 8
// removed: 8 then 4). Reproduces CPython 3's set_difference for small integers (which hash to
// themselves): the copy-and-discard path (ascending) when n / 4 > the number removed, otherwise
// insertion into a table that starts at 8 slots, grows to the smallest power of two above 4 * used
// when 5 * fill >= 3 * mask, and probes 9 slots linearly, then with perturbation. Writes the order to
// `order`; `scratch` is working storage.
void python_set_difference_order(const std::vector<bool>& removed, std::vector<size_t>& order,
                                 std::vector<size_t>& scratch);

}  // namespace sn44::tracking
