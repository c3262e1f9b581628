#include "core/pitch_template.h"

#include <gtest/gtest.h>

#include <set>

namespace sn44 {
namespace {

TEST(PitchTemplate, VerticesFollowTheSubnetConfiguration) {
  // Hand-computed from the configuration's dimensions (cm).
  EXPECT_DOUBLE_EQ(kPitchVertices[1].position.y, 1450);   // (7000 - 4100) / 2
  EXPECT_DOUBLE_EQ(kPitchVertices[2].position.y, 2584);   // (7000 - 1832) / 2
  EXPECT_DOUBLE_EQ(kPitchVertices[8].position.x, 1100);   // penalty spot
  EXPECT_DOUBLE_EQ(kPitchVertices[8].position.y, 3500);
  EXPECT_DOUBLE_EQ(kPitchVertices[14].position.y, 2585);  // 3500 - 915
  EXPECT_DOUBLE_EQ(kPitchVertices[17].position.x, 9985);  // 12000 - 2015
  EXPECT_DOUBLE_EQ(kPitchVertices[30].position.x, 5085);  // 6000 - 915
  EXPECT_DOUBLE_EQ(kPitchVertices[31].position.x, 6915);
  EXPECT_DOUBLE_EQ(kPitchVertices[29].position.x, 12000);
  EXPECT_DOUBLE_EQ(kPitchVertices[29].position.y, 7000);
}

TEST(PitchTemplate, LabelsNumberTheCentreCircleSidesFourteenAndNineteen) {
  EXPECT_EQ(kPitchVertices[0].label, "01");
  EXPECT_EQ(kPitchVertices[13].label, "15");
  EXPECT_EQ(kPitchVertices[30].label, "14");
  EXPECT_EQ(kPitchVertices[31].label, "19");
  std::set<std::string_view> labels;
  for (const PitchVertex& vertex : kPitchVertices) labels.insert(vertex.label);
  EXPECT_EQ(labels.size(), 32u);
}

TEST(PitchTemplate, EveryEdgeIsAStraightPitchLineAlongAnAxis) {
  std::set<std::pair<int, int>> distinct;
  for (const auto& edge : kPitchEdges) {
    ASSERT_GE(edge[0], 0);
    ASSERT_LT(edge[1], kPitchVertexCount);
    distinct.insert({edge[0], edge[1]});
  }
  EXPECT_EQ(distinct.size(), kPitchEdges.size());
  for (const PitchSegment& segment : pitch_segments()) {
    EXPECT_TRUE(segment.from.x == segment.to.x || segment.from.y == segment.to.y);
  }
  // Goal line from the corner to the penalty box, and the far touchline's second half.
  EXPECT_DOUBLE_EQ(pitch_segments()[0].to.y, 1450);
  EXPECT_DOUBLE_EQ(pitch_segments().back().from.x, 6000);
  EXPECT_DOUBLE_EQ(pitch_segments().back().to.x, 12000);
}

TEST(PitchTemplate, OutlineIsThePitchRectangle) {
  const auto points = pitch_points();
  EXPECT_DOUBLE_EQ(points[static_cast<size_t>(kPitchOutline[0])].x, 0);
  EXPECT_DOUBLE_EQ(points[static_cast<size_t>(kPitchOutline[1])].y, 7000);
  EXPECT_DOUBLE_EQ(points[static_cast<size_t>(kPitchOutline[2])].x, 12000);
  EXPECT_DOUBLE_EQ(points[static_cast<size_t>(kPitchOutline[3])].y, 0);
}

}  // namespace
}  // namespace sn44
