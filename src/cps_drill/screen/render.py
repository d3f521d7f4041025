"""Everything cps-drill shows, drawn with Rich by the modules of this folder (base, drill,
exam, reports); `Screen` is the one screen of a run, and `show(result)` draws what a command
returned."""

from __future__ import annotations

from cps_drill.screen.drill import DrillScreens
from cps_drill.screen.exam import ExamScreens
from cps_drill.screen.reports import ReportScreens


class Screen(DrillScreens, ExamScreens, ReportScreens):
    """The one screen of a run. `live` draws a countdown in place and redraws; otherwise every
    line is printed once, in order (pipes, TERM=dumb, screen readers)."""

    def show(self, result) -> None:
        """Draw what a command returned."""
        draw = {
            "DrillResult": self.drill_result,
            "PrinciplesResult": self.principles_table,
            "StatsResult": self.stats,
            "ValidateResult": self.validated,
            "Recovery": self.recovery,
            "GlossaryResult": self.glossary,
            "SettingsResult": self.settings,
            "PlanResult": self.plan,
            "OptimizeResult": self.optimized,
            "ExamResult": self.exam_result,
            "ReadResult": self.study_sheet,
            "ExportResult": self.exported,
        }[type(result).__name__]
        draw(result)
