package simulator

import (
	"strings"
	"testing"
	"time"
)

func TestACustomerWhoDoesNotKnowAsksAColleagueAndTheAnswerComesLater(t *testing.T) {
	for _, tt := range []struct {
		name, persona, said string
		cost                int
	}{
		{"words and cost given", `{name: Ada, tone: patient, does_not_know: {plan: {answer: "I don't know, I'll ask our developer.", cost: 1d}}}`,
			"I don't know, I'll ask our developer. (1d later) pro", 4 + 24*60},
		{"only the fact listed", `{name: Ada, tone: patient, does_not_know: [plan]}`,
			"I don't know that myself; I'll ask a colleague and come back to you. (4m later) pro", 8},
		{"a fact the customer knows", `{name: Ada, tone: patient, does_not_know: [crash_log]}`,
			"pro", 4},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sc := strings.Replace(gatedScenario, "persona: {name: Ada, tone: patient}", "persona: "+tt.persona, 1)
			sl := loadFiles(t, "app-crash.yaml", gatedPlaybook, "scenarios/app-crash-oom.yaml", sc)
			s := sl.Find("app-crash-oom")
			ss, err := NewUnder(sl.Playbook(s), s, "L1", ModeExam, 1, RulesV2)
			if err != nil {
				t.Fatal(err)
			}
			turns, err := ss.Play("ask:plan")
			if err != nil {
				t.Fatal(err)
			}
			if tr := turns[0]; tr.Said != tt.said || tr.CostMin != tt.cost {
				t.Errorf("ask:plan: said %q for %dm\nwant %q for %dm", tr.Said, tr.CostMin, tt.said, tt.cost)
			}
			if ss.verified["plan"] != "pro" {
				t.Error("the fact was not learned when the answer came back")
			}
			if got, want := ss.GoldenClock(), time.Duration(tt.cost+30+7)*time.Minute; got != want {
				t.Errorf("golden clock %v, want %v (the ask, the handoff and ENG's 7m)", got, want)
			}
		})
	}
}
