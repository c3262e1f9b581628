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

// A row-major cost matrix.
struct CostMatrix {
  size_t rows = 0;
  size_t cols = 0;
  std::vector<double> values;  // rows * cols

  double at(size_t row, size_t col) const { return values[row * cols + col]; }
  double& at(size_t row, size_t col) { return values[row * cols + col]; }
};

// The assignment of min(rows, cols) pairs minimising the total cost, as (row, col) pairs in
// ascending row order. Costs must be finite.
std::vector<std::pair<size_t, size_t>> solve_assignment(const CostMatrix& cost);

// What ByteTrack's `linear_assignment(cost, thresh)` returns: the optimal assignment on the costs
// clamped to thresh + 1e-4, keeping only pairs whose cost is at most `threshold`, and the rows and
// columns left unmatched (ascending).
struct AssignmentResult {
  std::vector<std::pair<size_t, size_t>> matches;
  std::vector<size_t> unmatched_rows;
  std::vector<size_t> unmatched_cols;
};
AssignmentResult assign_with_threshold(CostMatrix cost, double threshold);

}  // namespace sn44::tracking
