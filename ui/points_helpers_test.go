package ui

import (
	"time"

	"fritidsjob/points"
)

// pointsAward is a budget payment of n points to youth, as an adjustment.
func pointsAward(area, youth uint64, n int64) points.Transfer {
	return points.Transfer{AreaID: area, Key: "test-award", Currency: points.Points, From: points.BudgetAccount,
		To: points.YouthAccount(youth), Amount: n, Kind: points.KindAdjust, At: time.Now(), By: 1}
}
