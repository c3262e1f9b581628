#include "tracking/linear_assignment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

namespace sn44::tracking {
namespace {

using Pairs = std::vector<std::pair<size_t, size_t>>;

CostMatrix matrix(size_t rows, size_t cols, std::vector<float> values) { return {rows, cols, std::move(values)}; }

AssignmentResult assign(CostMatrix cost, double threshold) { return assign_with_threshold(cost, threshold); }

double total(const CostMatrix& cost, const Pairs& pairs) {
  double sum = 0;
  for (const auto& [r, c] : pairs) sum += cost.at(r, c);
  return sum;
}

// The least total over every way of assigning min(rows, cols) pairs, by enumeration.
double brute_force_minimum(const CostMatrix& cost) {
  const bool transpose = cost.rows > cost.cols;
  const size_t small = std::min(cost.rows, cost.cols), large = std::max(cost.rows, cost.cols);
  std::vector<size_t> order(large);
  std::iota(order.begin(), order.end(), 0);
  double best = 1e300;
  do {
    double sum = 0;
    for (size_t i = 0; i < small; ++i) sum += transpose ? cost.at(order[i], i) : cost.at(i, order[i]);
    best = std::min(best, sum);
  } while (std::next_permutation(order.begin(), order.end()));
  return best;
}

TEST(LinearAssignment, SquareMatrixHandSolved) {
  // Row 0 -> col 1 (1), row 1 -> col 0 (2), row 2 -> col 2 (2): total 5, the unique optimum.
  const auto cost = matrix(3, 3, {4, 1, 3, 2, 0, 5, 3, 2, 2});
  EXPECT_EQ(solve_assignment(cost), (Pairs{{0, 1}, {1, 0}, {2, 2}}));
}

TEST(LinearAssignment, MoreColumnsThanRows) {
  const auto cost = matrix(2, 3, {5, 1, 9, 1, 2, 9});
  EXPECT_EQ(solve_assignment(cost), (Pairs{{0, 1}, {1, 0}}));
}

TEST(LinearAssignment, MoreRowsThanColumnsIsSolvedTransposedAndSortedByRow) {
  const auto cost = matrix(3, 2, {9, 9, 5, 1, 1, 2});
  EXPECT_EQ(solve_assignment(cost), (Pairs{{1, 1}, {2, 0}}));
}

TEST(LinearAssignment, TiesResolveLikeScipy) {
  // SciPy returns the identity for a constant matrix.
  EXPECT_EQ(solve_assignment(matrix(3, 3, std::vector<float>(9, 0.5f))), (Pairs{{0, 0}, {1, 1}, {2, 2}}));
  EXPECT_EQ(solve_assignment(matrix(2, 3, std::vector<float>(6, 1.0f))), (Pairs{{0, 0}, {1, 1}}));
  EXPECT_EQ(solve_assignment(matrix(3, 2, std::vector<float>(6, 1.0f))), (Pairs{{0, 0}, {1, 1}}));
}

TEST(LinearAssignment, EmptyMatrices) {
  EXPECT_TRUE(solve_assignment(matrix(0, 3, {})).empty());
  EXPECT_TRUE(solve_assignment(matrix(2, 0, {})).empty());
}

TEST(LinearAssignment, FindsTheOptimumOfRandomMatrices) {
  std::mt19937 random(3);
  std::uniform_real_distribution<double> value(0.0, 1.0);
  for (int trial = 0; trial < 200; ++trial) {
    const size_t rows = 1 + random() % 5, cols = 1 + random() % 5;
    CostMatrix cost{rows, cols, std::vector<float>(rows * cols)};
    for (float& v : cost.values) v = static_cast<float>(value(random));
    const Pairs pairs = solve_assignment(cost);
    ASSERT_EQ(pairs.size(), std::min(rows, cols));
    std::vector<bool> row_used(rows), col_used(cols);
    for (const auto& [r, c] : pairs) {
      ASSERT_FALSE(row_used[r] || col_used[c]) << "a row or column assigned twice";
      row_used[r] = col_used[c] = true;
    }
    EXPECT_NEAR(total(cost, pairs), brute_force_minimum(cost), 1e-12) << rows << "x" << cols << " trial " << trial;
  }
}

TEST(LinearAssignment, ThresholdRejectsExpensivePairsAndListsTheUnmatched) {
  // Without the clamp the optimum would pair (0, 1) and (1, 0) for 0.2 + 5; clamped to 0.5001 both
  // expensive entries cost the same, and the cheap pair (0, 0) wins.
  const auto result = assign(matrix(2, 2, {0.1, 0.2, 5, 9}), 0.5);
  EXPECT_EQ(result.matches, (Pairs{{0, 0}}));
  EXPECT_EQ(result.unmatched_rows, (std::vector<size_t>{1}));
  EXPECT_EQ(result.unmatched_cols, (std::vector<size_t>{1}));
}

TEST(LinearAssignment, ThresholdIsInclusive) {
  EXPECT_EQ(assign(matrix(1, 1, {0.5}), 0.5).matches, (Pairs{{0, 0}}));
  EXPECT_TRUE(assign(matrix(1, 1, {0.50001}), 0.5).matches.empty());
}

TEST(LinearAssignment, EmptySideLeavesTheOtherUnmatched) {
  const auto result = assign(matrix(0, 2, {}), 0.5);
  EXPECT_TRUE(result.matches.empty());
  EXPECT_TRUE(result.unmatched_rows.empty());
  EXPECT_EQ(result.unmatched_cols, (std::vector<size_t>{0, 1}));
}

}  // namespace
}  // namespace sn44::tracking
