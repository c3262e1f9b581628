#pragma once
// The subnet's pitch model: the 32 vertices of roboflow/sports' SoccerPitchConfiguration (the one the
// validator builds its homography against), in centimetres, with their labels and the edges between
// them. x runs along the pitch length (0..12000), y across its width (0..7000). Vertex i of this
// table is keypoint i of a result. Shared by the scorer, the annotator and the pipeline, so it has no
// dependencies beyond the standard library and the core types.

#include <array>
#include <string_view>

#include "core/types.h"

namespace sn44 {

struct PitchPoint {
  double x = 0;
  double y = 0;
};

struct PitchVertex {
  PitchPoint position;
  std::string_view label;  // the label the configuration prints for this vertex ("01".."32")
};

struct PitchSegment {
  PitchPoint from;
  PitchPoint to;
};

namespace pitch {
inline constexpr double kWidth = 7000;  // touchline to touchline
inline constexpr double kLength = 12000;  // goal line to goal line
inline constexpr double kPenaltyBoxWidth = 4100;
inline constexpr double kPenaltyBoxLength = 2015;
inline constexpr double kGoalBoxWidth = 1832;
inline constexpr double kGoalBoxLength = 550;
inline constexpr double kCentreCircleRadius = 915;
inline constexpr double kPenaltySpotDistance = 1100;
}  // namespace pitch

inline constexpr int kPitchVertexCount = kPitchKeypointCount;

// In the configuration's order. Its labels are not the index + 1 for the centre-line vertices: the
// configuration lists the centre circle's two side points last but labels them 14 and 19.
inline constexpr std::array<PitchVertex, kPitchVertexCount> kPitchVertices = [] {
  using namespace pitch;
  constexpr double w = kWidth, l = kLength;
  return std::array<PitchVertex, kPitchVertexCount>{{
      {{0, 0}, "01"},
      {{0, (w - kPenaltyBoxWidth) / 2}, "02"},
      {{0, (w - kGoalBoxWidth) / 2}, "03"},
      {{0, (w + kGoalBoxWidth) / 2}, "04"},
      {{0, (w + kPenaltyBoxWidth) / 2}, "05"},
      {{0, w}, "06"},
      {{kGoalBoxLength, (w - kGoalBoxWidth) / 2}, "07"},
      {{kGoalBoxLength, (w + kGoalBoxWidth) / 2}, "08"},
      {{kPenaltySpotDistance, w / 2}, "09"},
      {{kPenaltyBoxLength, (w - kPenaltyBoxWidth) / 2}, "10"},
      {{kPenaltyBoxLength, (w - kGoalBoxWidth) / 2}, "11"},
      {{kPenaltyBoxLength, (w + kGoalBoxWidth) / 2}, "12"},
      {{kPenaltyBoxLength, (w + kPenaltyBoxWidth) / 2}, "13"},
      {{l / 2, 0}, "15"},
      {{l / 2, w / 2 - kCentreCircleRadius}, "16"},
      {{l / 2, w / 2 + kCentreCircleRadius}, "17"},
      {{l / 2, w}, "18"},
      {{l - kPenaltyBoxLength, (w - kPenaltyBoxWidth) / 2}, "20"},
      {{l - kPenaltyBoxLength, (w - kGoalBoxWidth) / 2}, "21"},
      {{l - kPenaltyBoxLength, (w + kGoalBoxWidth) / 2}, "22"},
      {{l - kPenaltyBoxLength, (w + kPenaltyBoxWidth) / 2}, "23"},
      {{l - kPenaltySpotDistance, w / 2}, "24"},
      {{l - kGoalBoxLength, (w - kGoalBoxWidth) / 2}, "25"},
      {{l - kGoalBoxLength, (w + kGoalBoxWidth) / 2}, "26"},
      {{l, 0}, "27"},
      {{l, (w - kPenaltyBoxWidth) / 2}, "28"},
      {{l, (w - kGoalBoxWidth) / 2}, "29"},
      {{l, (w + kGoalBoxWidth) / 2}, "30"},
      {{l, (w + kPenaltyBoxWidth) / 2}, "31"},
      {{l, w}, "32"},
      {{l / 2 - kCentreCircleRadius, w / 2}, "14"},
      {{l / 2 + kCentreCircleRadius, w / 2}, "19"},
  }};
}();

// The straight pitch lines as pairs of vertex indices (0-based; the configuration lists them 1-based).
inline constexpr std::array<std::array<int, 2>, 33> kPitchEdges = {{
    {0, 1},   {1, 2},   {2, 3},   {3, 4},   {4, 5},   {6, 7},   {9, 10},  {10, 11}, {11, 12},
    {13, 14}, {14, 15}, {15, 16}, {17, 18}, {18, 19}, {19, 20}, {22, 23}, {24, 25}, {25, 26},
    {26, 27}, {27, 28}, {28, 29}, {0, 13},  {1, 9},   {2, 6},   {3, 7},   {4, 12},  {5, 16},
    {13, 24}, {17, 25}, {22, 26}, {23, 27}, {20, 28}, {16, 29},
}};

// The pitch's outer boundary as the validator builds it (vertices 1, 6, 30, 25), in that order.
inline constexpr std::array<int, 4> kPitchOutline = {0, 5, 29, 24};

inline constexpr std::array<PitchPoint, kPitchVertexCount> pitch_points() {
  std::array<PitchPoint, kPitchVertexCount> points{};
  for (int i = 0; i < kPitchVertexCount; ++i) points[static_cast<size_t>(i)] = kPitchVertices[static_cast<size_t>(i)].position;
  return points;
}

inline constexpr std::array<PitchSegment, kPitchEdges.size()> pitch_segments() {
  std::array<PitchSegment, kPitchEdges.size()> segments{};
  for (size_t i = 0; i < kPitchEdges.size(); ++i) {
    segments[i] = {kPitchVertices[static_cast<size_t>(kPitchEdges[i][0])].position,
                   kPitchVertices[static_cast<size_t>(kPitchEdges[i][1])].position};
  }
  return segments;
}

}  // namespace sn44
