#include "tracking/linear_assignment.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"

namespace sn44::tracking {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr size_t kNone = std::numeric_limits<size_t>::max();

}  // namespace

// Dijkstra-like search for the cheapest path (in reduced costs) from `row` to a free column.
// Returns that column and sets `min_value` to the path's length.
size_t AssignmentSolver::shortest_augmenting_path(size_t row, double& min_value) {
  const CostMatrix& cost = *cost_;
  const size_t cols = cost.cols;
  min_value = 0;
  // Scanning from the last column keeps SciPy's answer on ties (identity for constant costs).
  size_t remaining_count = cols;
  for (size_t k = 0; k < cols; ++k) remaining_[k] = cols - k - 1;
  std::fill(row_visited_.begin(), row_visited_.end(), false);
  std::fill(col_visited_.begin(), col_visited_.end(), false);
  std::fill(path_cost_.begin(), path_cost_.end(), kInfinity);

  size_t sink = kNone;
  size_t current = row;
  while (sink == kNone) {
    size_t best_index = kNone;
    double lowest = kInfinity;
    row_visited_[current] = true;
    for (size_t k = 0; k < remaining_count; ++k) {
      const size_t col = remaining_[k];
      const double reduced = min_value + cost.at(current, col) - row_dual_[current] - col_dual_[col];
      if (reduced < path_cost_[col]) {
        path_[col] = current;
        path_cost_[col] = reduced;
      }
      if (path_cost_[col] < lowest || (path_cost_[col] == lowest && row_for_col_[col] == kNone)) {
        lowest = path_cost_[col];
        best_index = k;
      }
    }
    min_value = lowest;
    // Finite costs and rows <= cols always leave a path; this guards the invariant.
    if (best_index == kNone || min_value == kInfinity) throw Error(ErrorKind::internal, "assignment: no augmenting path");
    const size_t col = remaining_[best_index];
    if (row_for_col_[col] == kNone) {
      sink = col;
    } else {
      current = row_for_col_[col];
    }
    col_visited_[col] = true;
    remaining_[best_index] = remaining_[--remaining_count];
  }
  return sink;
}

void AssignmentSolver::assign_row(size_t row) {
  double min_value = 0;
  const size_t sink = shortest_augmenting_path(row, min_value);
  // Update the duals so that reduced costs stay non-negative and the new path is tight.
  row_dual_[row] += min_value;
  for (size_t i = 0; i < cost_->rows; ++i)
    if (row_visited_[i] && i != row) row_dual_[i] += min_value - path_cost_[col_for_row_[i]];
  for (size_t j = 0; j < cost_->cols; ++j)
    if (col_visited_[j]) col_dual_[j] -= min_value - path_cost_[j];
  // Flip the assignment along the path back to `row`.
  for (size_t col = sink;;) {
    const size_t i = path_[col];
    row_for_col_[col] = i;
    std::swap(col_for_row_[i], col);
    if (i == row) break;
  }
}

const Matches& AssignmentSolver::solve(const CostMatrix& cost) {
  pairs_.clear();
  if (cost.values.size() != cost.rows * cost.cols) throw Error(ErrorKind::internal, "assignment: matrix size mismatch");
  if (cost.rows == 0 || cost.cols == 0) return pairs_;
  for (const float value : cost.values)
    if (!std::isfinite(value)) throw Error(ErrorKind::internal, "assignment: cost matrix has a non-finite entry");

  // The method needs at least as many columns as rows.
  const bool transpose = cost.cols < cost.rows;
  if (transpose) {
    transposed_.resize(cost.cols, cost.rows);
    for (size_t r = 0; r < cost.rows; ++r)
      for (size_t c = 0; c < cost.cols; ++c) transposed_.at(c, r) = cost.at(r, c);
  }
  cost_ = transpose ? &transposed_ : &cost;
  const size_t rows = cost_->rows, cols = cost_->cols;
  row_dual_.assign(rows, 0.0);
  col_dual_.assign(cols, 0.0);
  path_cost_.resize(cols);
  path_.assign(cols, kNone);
  col_for_row_.assign(rows, kNone);
  row_for_col_.assign(cols, kNone);
  remaining_.resize(cols);
  row_visited_.resize(rows);
  col_visited_.resize(cols);
  for (size_t row = 0; row < rows; ++row) assign_row(row);
  cost_ = nullptr;

  for (size_t row = 0; row < rows; ++row) {
    const size_t col = col_for_row_[row];
    pairs_.emplace_back(transpose ? col : row, transpose ? row : col);
  }
  // SciPy returns a transposed problem's pairs by original row.
  if (transpose) std::sort(pairs_.begin(), pairs_.end());
  return pairs_;
}

void AssignmentSolver::assign_with_threshold(CostMatrix& cost, double threshold, AssignmentResult& result) {
  // ByteTrack compares and clamps in float32 (its cost matrices are float32 arrays).
  const auto limit = static_cast<float>(threshold);
  const auto clamped = static_cast<float>(threshold + 1e-4);
  result.matches.clear();
  row_matched_.assign(cost.rows, false);
  col_matched_.assign(cost.cols, false);
  if (cost.rows > 0 && cost.cols > 0) {
    for (float& value : cost.values)
      if (value > limit) value = clamped;
    for (const auto& [row, col] : solve(cost)) {
      if (cost.at(row, col) > limit) continue;
      result.matches.emplace_back(row, col);
      row_matched_[row] = true;
      col_matched_[col] = true;
    }
  }
  python_set_difference_order(row_matched_, result.unmatched_rows, set_scratch_);
  python_set_difference_order(col_matched_, result.unmatched_cols, set_scratch_);
}

void python_set_difference_order(const std::vector<bool>& removed, std::vector<size_t>& order,
                                 std::vector<size_t>& scratch) {
  const size_t count = removed.size();
  const auto removed_count = static_cast<size_t>(std::count(removed.begin(), removed.end(), true));
  order.clear();
  // CPython copies the set and discards when it is over four times larger than the other one; the
  // copy keeps a table larger than every key, so the order stays ascending.
  if ((count >> 2) > removed_count) {
    for (size_t key = 0; key < count; ++key)
      if (!removed[key]) order.push_back(key);
    return;
  }

  constexpr size_t kFree = std::numeric_limits<size_t>::max();
  constexpr size_t kMinimumSlots = 8, kLinearProbes = 9, kPerturbShift = 5;
  // An int hashes to itself; the slot sequence is CPython's set_insert_clean.
  const auto insert = [](std::vector<size_t>& slots, size_t key) {
    const size_t mask = slots.size() - 1;
    size_t perturb = key;
    for (size_t i = key & mask;; i = (i * 5 + 1 + perturb) & mask) {
      if (slots[i] == kFree) {
        slots[i] = key;
        return;
      }
      if (i + kLinearProbes <= mask) {
        for (size_t j = i + 1; j <= i + kLinearProbes; ++j) {
          if (slots[j] == kFree) {
            slots[j] = key;
            return;
          }
        }
      }
      perturb >>= kPerturbShift;
    }
  };
  std::vector<size_t>& table = scratch;
  table.assign(kMinimumSlots, kFree);
  size_t used = 0;
  for (size_t key = 0; key < count; ++key) {
    if (removed[key]) continue;
    insert(table, key);
    ++used;
    if (used * 5 < (table.size() - 1) * 3) continue;
    const size_t wanted = used > 50000 ? used * 2 : used * 4;
    size_t slots = kMinimumSlots;
    while (slots <= wanted) slots <<= 1;
    // `order` serves as the grown table; the old one is re-inserted in slot order.
    order.assign(slots, kFree);
    for (const size_t old_key : table)
      if (old_key != kFree) insert(order, old_key);
    table.swap(order);
  }
  order.clear();
  for (const size_t key : table)
    if (key != kFree) order.push_back(key);
}

}  // namespace sn44::tracking
