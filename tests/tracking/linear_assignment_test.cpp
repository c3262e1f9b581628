#include "tracking/linear_assignment.h"

#include "core/error.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <random>

namespace sn44::tracking {
namespace {

using Pairs = std::vector<std::pair<size_t, size_t>>;

CostMatrix matrix(size_t rows, size_t cols, std::vector<float> values) { return {rows, cols, std::move(values)}; }

Pairs solve_assignment(const CostMatrix& cost) { return AssignmentSolver().solve(cost); }

AssignmentResult assign(CostMatrix cost, double threshold) {
  AssignmentResult result;
  AssignmentSolver().assign_with_threshold(cost, threshold, result);
  return result;
}

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
  // Answers of scipy.optimize.linear_sum_assignment (SciPy 1.10), run once on these matrices as
  // float32 arrays, like ByteTrack's; each has other optimal assignments of the same total.
  EXPECT_EQ(solve_assignment(matrix(3, 3, {1, 0, 0, 0, 1, 1, 0, 1, 1})), (Pairs{{0, 1}, {1, 0}, {2, 2}}));
  // Rounding decides this tie: SciPy answers {(0, 1), (1, 2)} for the float64 matrix with 0.2.
  EXPECT_EQ(solve_assignment(matrix(2, 3, {0.5f, 0.5f, 0.2f, 0.5f, 0.5f, 0.2f})), (Pairs{{0, 2}, {1, 1}}));
  EXPECT_EQ(solve_assignment(matrix(3, 2, {2, 1, 1, 2, 1, 1})), (Pairs{{0, 1}, {1, 0}}));
  // Clamped entries (threshold 0.8 + 1e-4) tie with one another.
  EXPECT_EQ(solve_assignment(matrix(3, 2, {0.8001f, 0.3f, 0.8001f, 0.8001f, 0.3f, 0.8001f})), (Pairs{{0, 1}, {2, 0}}));
}

TEST(LinearAssignment, EmptyMatrices) {
  EXPECT_TRUE(solve_assignment(matrix(0, 3, {})).empty());
  EXPECT_TRUE(solve_assignment(matrix(2, 0, {})).empty());
}

// Checks that `pairs` is a valid assignment of min(rows, cols) pairs in ascending rows with the
// least total cost, found by enumeration.
void expect_optimal(const CostMatrix& cost, const Pairs& pairs) {
  ASSERT_EQ(pairs.size(), std::min(cost.rows, cost.cols));
  std::vector<bool> row_used(cost.rows), col_used(cost.cols);
  for (size_t k = 0; k < pairs.size(); ++k) {
    const auto [r, c] = pairs[k];
    ASSERT_FALSE(row_used[r] || col_used[c]) << "a row or column assigned twice";
    if (k > 0) {
      EXPECT_LT(pairs[k - 1].first, r) << "pairs not in ascending rows";
    }
    row_used[r] = col_used[c] = true;
  }
  EXPECT_NEAR(total(cost, pairs), brute_force_minimum(cost), 1e-9) << cost.rows << "x" << cost.cols;
}

TEST(LinearAssignment, FindsTheOptimumOfRandomMatrices) {
  std::mt19937 random(3);
  std::uniform_real_distribution<double> value(0.0, 1.0);
  for (int trial = 0; trial < 300; ++trial) {
    const size_t rows = 1 + random() % 6, cols = 1 + random() % 6;
    CostMatrix cost{rows, cols, std::vector<float>(rows * cols)};
    for (float& v : cost.values) v = static_cast<float>(value(random));
    SCOPED_TRACE(trial);
    expect_optimal(cost, solve_assignment(cost));
  }
}

TEST(LinearAssignment, FindsTheOptimumWhenManyCostsTie) {
  // Costs from {0, 1, 2} and clamped-looking constants: many optimal assignments, one returned.
  std::mt19937 random(7);
  for (int trial = 0; trial < 300; ++trial) {
    const size_t rows = 1 + random() % 6, cols = 1 + random() % 6;
    CostMatrix cost{rows, cols, std::vector<float>(rows * cols)};
    for (float& v : cost.values) v = static_cast<float>(random() % 3);
    SCOPED_TRACE(trial);
    expect_optimal(cost, solve_assignment(cost));
  }
}

TEST(LinearAssignment, AReusedSolverAnswersLikeAFreshOne) {
  std::mt19937 random(11);
  std::uniform_real_distribution<double> value(0.0, 1.0);
  AssignmentSolver reused;
  AssignmentResult reused_result;
  for (int trial = 0; trial < 200; ++trial) {
    const size_t rows = random() % 7, cols = random() % 7;
    CostMatrix cost{rows, cols, std::vector<float>(rows * cols)};
    for (float& v : cost.values) v = static_cast<float>(value(random));
    SCOPED_TRACE(trial);
    EXPECT_EQ(reused.solve(cost), solve_assignment(cost));
    const AssignmentResult fresh = assign(cost, 0.5);
    reused.assign_with_threshold(cost, 0.5, reused_result);
    EXPECT_EQ(reused_result.matches, fresh.matches);
    EXPECT_EQ(reused_result.unmatched_rows, fresh.unmatched_rows);
    EXPECT_EQ(reused_result.unmatched_cols, fresh.unmatched_cols);
  }
}

TEST(LinearAssignment, RejectsNonFiniteCosts) {
  EXPECT_THROW(solve_assignment(matrix(1, 2, {0.5f, std::numeric_limits<float>::quiet_NaN()})), Error);
  EXPECT_THROW(solve_assignment(matrix(1, 1, {std::numeric_limits<float>::infinity()})), Error);
  EXPECT_THROW(solve_assignment(CostMatrix{2, 2, {1, 2, 3}}), Error);
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

TEST(LinearAssignment, ClampingCanChangeTheAssignment) {
  // Unclamped, the optimum is (0, 1) + (1, 0) = 0.6 + 0.7 = 1.3 against (0, 0) + (1, 1) = 0.1 + 5.
  // Clamped to 0.8001 the second totals 0.9001 and wins; (1, 1) is then rejected.
  auto cost = matrix(2, 2, {0.1f, 0.6f, 0.7f, 5});
  EXPECT_EQ(solve_assignment(cost), (Pairs{{0, 1}, {1, 0}}));
  AssignmentResult result;
  AssignmentSolver().assign_with_threshold(cost, 0.8, result);
  EXPECT_EQ(result.matches, (Pairs{{0, 0}}));
  EXPECT_FLOAT_EQ(cost.at(1, 1), 0.8001f);  // clamped in place, as ByteTrack does
  EXPECT_EQ(result.unmatched_rows, (std::vector<size_t>{1}));
  EXPECT_EQ(result.unmatched_cols, (std::vector<size_t>{1}));
}

TEST(LinearAssignment, EmptySideLeavesTheOtherUnmatched) {
  const auto result = assign(matrix(0, 2, {}), 0.5);
  EXPECT_TRUE(result.matches.empty());
  EXPECT_TRUE(result.unmatched_rows.empty());
  EXPECT_EQ(result.unmatched_cols, (std::vector<size_t>{0, 1}));
}

// Orders printed by CPython 3.11 for tuple(set(range(count)) - set(removed)), run once.
TEST(PythonSetDifferenceOrder, MatchesCPython) {
  std::vector<size_t> scratch;
  const auto order = [&](size_t count, std::vector<size_t> removed_keys) {
    std::vector<bool> removed(count, false);
    for (const size_t key : removed_keys) removed[key] = true;
    std::vector<size_t> result = {99};  // overwritten
    python_set_difference_order(removed, result, scratch);
    return result;
  };
  using Keys = std::vector<size_t>;
  EXPECT_EQ(order(10, {0, 1, 2, 3, 5, 6, 7, 9}), (Keys{8, 4}));
  EXPECT_EQ(order(37, {0, 1, 4, 5, 6, 8, 9, 10, 12, 13, 15, 16, 18, 19, 20, 21, 22, 23, 24, 27, 29, 30, 31, 32,
                       34, 35, 36}),
            (Keys{33, 2, 3, 7, 11, 14, 17, 25, 26, 28}));
  EXPECT_EQ(order(46, {0,  1,  2,  3,  4,  5,  6,  8,  9,  13, 14, 18, 19, 20, 22, 23,
                       25, 26, 27, 28, 30, 33, 34, 35, 36, 37, 39, 40, 41, 42, 43, 44}),
            (Keys{32, 38, 7, 10, 11, 12, 45, 15, 16, 17, 21, 24, 29, 31}));
  // Few removed: CPython copies the set and the order stays ascending.
  EXPECT_EQ(order(20, {1, 2}), (Keys{0, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}));
  EXPECT_EQ(order(20, {1, 2, 3, 4, 5}), (Keys{0, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}));
  EXPECT_EQ(order(9, {0, 1, 2}), (Keys{3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(order(0, {}), Keys{});
  EXPECT_EQ(order(3, {}), (Keys{0, 1, 2}));
}

}  // namespace
}  // namespace sn44::tracking
