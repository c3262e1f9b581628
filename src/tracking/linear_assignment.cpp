#include "tracking/linear_assignment.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"

namespace sn44::tracking {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr size_t kNone = static_cast<size_t>(-1);

// Solver state for a matrix with rows <= cols: dual variables and the partial assignment.
struct Solver {
  const CostMatrix& cost;
  std::vector<double> row_dual, col_dual, path_cost;
  std::vector<size_t> path, col_for_row, row_for_col, remaining;
  std::vector<bool> row_visited, col_visited;

  explicit Solver(const CostMatrix& matrix)
      : cost(matrix),
        row_dual(matrix.rows, 0.0),
        col_dual(matrix.cols, 0.0),
        path_cost(matrix.cols),
        path(matrix.cols, kNone),
        col_for_row(matrix.rows, kNone),
        row_for_col(matrix.cols, kNone),
        remaining(matrix.cols),
        row_visited(matrix.rows),
        col_visited(matrix.cols) {}

  // Dijkstra-like search for the cheapest path (in reduced costs) from `row` to a free column.
  // Returns that column and sets `min_value` to the path's length.
  size_t shortest_augmenting_path(size_t row, double& min_value) {
    const size_t cols = cost.cols;
    min_value = 0;
    // Scanning from the last column keeps SciPy's answer on ties (identity for constant costs).
    size_t remaining_count = cols;
    for (size_t k = 0; k < cols; ++k) remaining[k] = cols - k - 1;
    std::fill(row_visited.begin(), row_visited.end(), false);
    std::fill(col_visited.begin(), col_visited.end(), false);
    std::fill(path_cost.begin(), path_cost.end(), kInfinity);

    size_t sink = kNone;
    size_t current = row;
    while (sink == kNone) {
      size_t best_index = kNone;
      double lowest = kInfinity;
      row_visited[current] = true;
      for (size_t k = 0; k < remaining_count; ++k) {
        const size_t col = remaining[k];
        const double reduced = min_value + cost.at(current, col) - row_dual[current] - col_dual[col];
        if (reduced < path_cost[col]) {
          path[col] = current;
          path_cost[col] = reduced;
        }
        if (path_cost[col] < lowest || (path_cost[col] == lowest && row_for_col[col] == kNone)) {
          lowest = path_cost[col];
          best_index = k;
        }
      }
      min_value = lowest;
      if (best_index == kNone || min_value == kInfinity) throw Error(ErrorKind::internal, "assignment: no augmenting path");
      const size_t col = remaining[best_index];
      if (row_for_col[col] == kNone) {
        sink = col;
      } else {
        current = row_for_col[col];
      }
      col_visited[col] = true;
      remaining[best_index] = remaining[--remaining_count];
    }
    return sink;
  }

  void assign_row(size_t row) {
    double min_value = 0;
    const size_t sink = shortest_augmenting_path(row, min_value);
    // Update the duals so that reduced costs stay non-negative and the new path is tight.
    row_dual[row] += min_value;
    for (size_t i = 0; i < cost.rows; ++i)
      if (row_visited[i] && i != row) row_dual[i] += min_value - path_cost[col_for_row[i]];
    for (size_t j = 0; j < cost.cols; ++j)
      if (col_visited[j]) col_dual[j] -= min_value - path_cost[j];
    // Flip the assignment along the path back to `row`.
    for (size_t col = sink;;) {
      const size_t i = path[col];
      row_for_col[col] = i;
      std::swap(col_for_row[i], col);
      if (i == row) break;
    }
  }
};

CostMatrix transposed(const CostMatrix& cost) {
  CostMatrix result{cost.cols, cost.rows, std::vector<float>(cost.values.size())};
  for (size_t r = 0; r < cost.rows; ++r)
    for (size_t c = 0; c < cost.cols; ++c) result.at(c, r) = cost.at(r, c);
  return result;
}

}  // namespace

std::vector<std::pair<size_t, size_t>> solve_assignment(const CostMatrix& cost) {
  if (cost.values.size() != cost.rows * cost.cols) throw Error(ErrorKind::internal, "assignment: matrix size mismatch");
  if (cost.rows == 0 || cost.cols == 0) return {};
  for (const float value : cost.values)
    if (!std::isfinite(value)) throw Error(ErrorKind::internal, "assignment: cost matrix has a non-finite entry");

  // The method needs at least as many columns as rows.
  const bool transpose = cost.cols < cost.rows;
  const CostMatrix matrix = transpose ? transposed(cost) : cost;
  Solver solver(matrix);
  for (size_t row = 0; row < matrix.rows; ++row) solver.assign_row(row);

  std::vector<std::pair<size_t, size_t>> pairs;
  pairs.reserve(matrix.rows);
  for (size_t row = 0; row < matrix.rows; ++row) {
    const size_t col = solver.col_for_row[row];
    pairs.emplace_back(transpose ? col : row, transpose ? row : col);
  }
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

AssignmentResult assign_with_threshold(CostMatrix& cost, double threshold) {
  // ByteTrack compares and clamps in float32 (its cost matrices are float32 arrays).
  const float limit = static_cast<float>(threshold);
  const float clamped = static_cast<float>(threshold + 1e-4);
  AssignmentResult result;
  std::vector<bool> row_matched(cost.rows, false), col_matched(cost.cols, false);
  if (cost.rows > 0 && cost.cols > 0) {
    for (float& value : cost.values)
      if (value > limit) value = clamped;
    for (const auto& [row, col] : solve_assignment(cost)) {
      if (cost.at(row, col) > limit) continue;
      result.matches.emplace_back(row, col);
      row_matched[row] = true;
      col_matched[col] = true;
    }
  }
  result.unmatched_rows = python_set_difference_order(cost.rows, row_matched);
  result.unmatched_cols = python_set_difference_order(cost.cols, col_matched);
  return result;
}

std::vector<size_t> python_set_difference_order(size_t count, const std::vector<bool>& removed) {
  if (removed.size() != count) throw Error(ErrorKind::internal, "set difference: mask size mismatch");
  std::vector<size_t> survivors;
  survivors.reserve(count);
  for (size_t key = 0; key < count; ++key)
    if (!removed[key]) survivors.push_back(key);
  const size_t removed_count = count - survivors.size();
  // CPython copies the set and discards when it is over four times larger than the other one; the
  // copy keeps a table larger than every key, so the order stays ascending.
  if ((count >> 2) > removed_count) return survivors;

  constexpr size_t kFree = std::numeric_limits<size_t>::max();
  constexpr size_t kMinimumSlots = 8, kLinearProbes = 9, kPerturbShift = 5;
  std::vector<size_t> table(kMinimumSlots, kFree);
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
  size_t used = 0;
  for (const size_t key : survivors) {
    insert(table, key);
    ++used;
    if (used * 5 < (table.size() - 1) * 3) continue;
    const size_t wanted = used > 50000 ? used * 2 : used * 4;
    size_t slots = kMinimumSlots;
    while (slots <= wanted) slots <<= 1;
    std::vector<size_t> grown(slots, kFree);
    for (const size_t old_key : table)
      if (old_key != kFree) insert(grown, old_key);
    table = std::move(grown);
  }
  std::vector<size_t> order;
  order.reserve(used);
  for (const size_t key : table)
    if (key != kFree) order.push_back(key);
  return order;
}

}  // namespace sn44::tracking
