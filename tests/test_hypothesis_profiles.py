"""Property tests draw fixed examples in CI, varied ones elsewhere."""

from hypothesis import given, settings
from hypothesis import strategies as st

from hypothesis_profiles import profile_for


def test_ci_loads_the_derandomized_profile_without_an_example_database():
    assert profile_for({"CI": "true"}) == "ci"
    ci = settings.get_profile("ci")
    assert (ci.derandomize, ci.database) == (True, None)


def test_outside_ci_examples_vary_from_run_to_run():
    assert profile_for({}) == "dev"
    assert settings.get_profile("dev").derandomize is False


def test_an_explicit_profile_wins_over_ci():
    assert profile_for({"CI": "true", "HYPOTHESIS_PROFILE": "dev"}) == "dev"


def test_the_ci_profile_draws_the_same_examples_on_every_run():
    def draws() -> list[int]:
        seen: list[int] = []

        @settings(settings.get_profile("ci"), max_examples=20)
        @given(st.integers())
        def record(n: int) -> None:
            seen.append(n)

        record()
        return seen

    first = draws()
    assert len(first) == 20 and first == draws()
