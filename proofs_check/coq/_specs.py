"""How each kernel-checked statement reads in the finite-sample Coq setting.

A `CoqSpec` says, for one registry label:
- `binders`: the Coq variables the theorem quantifies over;
- `setting`: the finite-sample hypotheses (Coq text, with the prose the README repeats);
- `bindings`: each sympy symbol / application / predicate of the statement → a Coq term
  over the binders and the definitions of `Model.v` (and the statement's own .v file);
- `drop_conclusion` / `drop_hypotheses`: a symbol or predicate name → the reason; the
  conjuncts (hypotheses) mentioning it are not part of the Coq theorem (a dropped
  hypothesis only makes the Coq theorem stronger; a dropped conclusion conjunct is *not*
  kernel-checked);
- `extra`: conjuncts the Coq theorem adds to the printed conclusion;
- `module`, `lemma`: the hand-written proof in `proofs_check/coq/<module>.v`; its
  conclusion must be *convertible* to the printed one and its hypotheses must be printed
  premises, so a drift of the registry (a changed constant, a reversed inequality, a
  removed hypothesis the proof needs) fails in the kernel.

The setting (docs: README "What it checks"): N samples x_k ∈ ℝ^d with labels y_k, the
empirical measure; Φ(x) = Σ_{i<m} θ_i ρ(w_iᵀx); F = R + κ‖θ‖₁, R the empirical risk;
D_X any number with mean_k (vᵀx_k)² ≤ D_X²‖v‖² for all v (`data_scale`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: the step name of a label's `coq` obligation (a part's obligation adds "_<part>")
STEP = "kernel_checked_finite_version"

DATA = "(N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R)"
FOBJ = "Fobj N d m X Y ell kappa"
LIPSCHITZ = ("lipschitz_loss ell L", "u ↦ ℒ(y, u) is L-Lipschitz for every y")
CONVEX = ("convex_loss ell", "u ↦ ℒ(y, u) is convex for every y")
SCALE = ("data_scale N d X DX",
         "D_X ≥ 0 and mean_k (vᵀx_k)² ≤ D_X²‖v‖² for every v (D_X² ≥ λ_max of XᵀX/N)")
BALL = ("in_ball d m W", "every row w_i (i < m) has ‖w_i‖ ≤ 1")
KAPPA = ("0 < kappa", "κ > 0")


@dataclass(frozen=True)
class CoqSpec:
    label: str
    module: str
    lemma: str
    binders: str
    setting: tuple[tuple[str, str], ...]
    bindings: dict[str, str]
    drop_conclusion: dict[str, str] = field(default_factory=dict)
    drop_hypotheses: dict[str, str] = field(default_factory=dict)
    #: hand-written conjuncts added to the printed conclusion (what the finite version
    #: states beyond the registry, e.g. where a constructed path ends)
    extra: tuple[str, ...] = ()
    summary: str = ""
    #: a second (third, …) Coq theorem of the same label: its name's suffix, e.g. "holder"
    #: (a conclusion part under other standing assumptions gets its own theorem)
    part: str = ""
    #: symbol name → integer substituted in the statement before printing (a finite form
    #: at one parameter value, e.g. Hölder α = 1)
    specialize: dict[str, int] = field(default_factory=dict)

    @property
    def theorem(self) -> str:
        """Name of the generated Coq theorem, e.g. ``registry_ll_bridge``
        (``registry_ll_sampling_holder`` for the part "holder")."""
        base = "registry_" + self.label.replace(":", "_").replace("-", "_").replace(".", "_")
        return f"{base}_{self.part}" if self.part else base

    @property
    def step(self) -> str:
        """The obligation's step name: `STEP`, suffixed by the part."""
        return f"{STEP}_{self.part}" if self.part else STEP


SPECS: tuple[CoqSpec, ...] = (
    CoqSpec(
        "ll:l1-control", "Statements", "l1_control",
        f"{DATA} (kappa s Rlow : R) (W : nat -> nat -> R) (th : nat -> R)",
        (KAPPA,),
        {"F": f"{FOBJ} W th", "R": "risk N d m X Y ell W th", "a": "l1 m th", "s": "s",
         "kappa": "kappa", "R_low": "Rlow"},
        drop_conclusion={
            "AttainsMinimum": "attainment of minima (compactness) is not a finite-sample "
            "identity",
        },
        summary="F ≤ s and R ≥ R̲ give ‖θ‖₁ ≤ (s − R̲)/κ (the ℓ1 bound; attainment of "
        "minima is not covered)",
    ),
    CoqSpec(
        "ll:relu-lipschitz", "Statements", "relu_lipschitz",
        "(N d : nat) (X : nat -> nat -> R) (DX : R) (a b w : nat -> R)",
        (SCALE,),
        {"w_norm": "norm d w", "D_X": "DX", "dist": "norm d (vsub a b)",
         "E_abs_diff": "mean N (fun k => Rabs (relu (dot d a (X k)) - relu (dot d b (X k))))",
         "E_sq": "mean N (fun k => relu (dot d w (X k)) ^ 2)"},
        summary="mean_k |ρ(aᵀx_k) − ρ(bᵀx_k)| ≤ D_X‖a − b‖ and mean_k ρ(wᵀx_k)² ≤ D_X² "
        "for ‖w‖ ≤ 1",
    ),
    CoqSpec(
        "ll:convex-output", "Statements", "convex_output",
        f"{DATA} (kappa t : R) (W : nat -> nat -> R) (thA thB : nat -> R)",
        (CONVEX, KAPPA),
        {"t": "t", "F_A": f"{FOBJ} W thA", "F_B": f"{FOBJ} W thB",
         "F_max": f"{FOBJ} W (thlin t thA thB)"},
        summary="F(W, (1−t)θ_A + tθ_B) ≤ max(F_A, F_B) for t ∈ [0, 1]",
    ),
    CoqSpec(
        "ll:free-row", "Statements", "free_row",
        f"{DATA} (kappa : R) (W : nat -> nat -> R) (th : nat -> R) (i : nat) "
        "(v x : nat -> R)",
        (("(i < m)%nat", "a unit i < m"),),
        {"theta_i": "th i",
         "Phi_change": "Phi d m (move_row W i v) th x - Phi d m W th x",
         "F_end": f"{FOBJ} (move_row W i v) th", "F": f"{FOBJ} W th"},
        summary="θ_i = 0: replacing row w_i by any v keeps Φ(x) for every x and F",
    ),
    CoqSpec(
        "ll:buffer-transfer", "Statements", "buffer_transfer",
        f"{DATA} (kappa s t : R) (W : nat -> nat -> R) (th : nat -> R) (u b : nat) "
        "(x : nat -> R)",
        (("(u < m)%nat", "u < m"), ("(b < m)%nat", "the buffer b < m"),
         ("u <> b", "u ≠ b"), ("th b = 0", "θ_b = 0 (a zero buffer row)"),
         ("t = 0 \\/ s = 1", "first the copy w_b → (1−s)w_b + s w_u, then the transfer")),
        {"t": "t", "a_u": "th u",
         "Phi_change": "Phi d m (transfer_W s W u b) (transfer_th t th u b) x - Phi d m W th x",
         "F_end": f"{FOBJ} (transfer_W s W u b) (transfer_th t th u b)",
         "F": f"{FOBJ} W th"},
        summary="copying row u into a zero buffer row b and moving (θ_u, 0) ↦ ((1−t)θ_u, "
        "tθ_u) keeps Φ(x) for every x, the penalty and F exactly",
    ),
    CoqSpec(
        "ll:pruning", "Statements", "pruning",
        f"{DATA} (L DX kappa : R) (W : nat -> nat -> R) (th : nat -> R) (rm : nat -> bool) "
        "(l : nat)",
        (LIPSCHITZ, SCALE, BALL, KAPPA,
         ("count m rm = INR l", "exactly l of the m units are removed"),
         ("smallest_mass m rm th", "every removed |θ_i| ≤ every kept |θ_j|")),
        {"l": "INR l", "m": "INR m", "Fhat": f"{FOBJ} W (prune rm th)", "F": f"{FOBJ} W th",
         "a": "l1 m th", "D_X": "DX", "L": "L", "kappa": "kappa"},
        drop_conclusion={
            "l0_hat": "the kept support ‖θ_pr‖₀ ≤ m − l is checked by z3 (step 5), not "
            "kernel-checked",
        },
        summary="zeroing the l smallest |θ_i| raises F by at most (L D_X − κ)₊ (l/m)‖θ‖₁",
    ),
    CoqSpec(
        "ll:sampling", "GoodDraw", "sampling_all",
        f"{DATA} (L DX kappa : R) (q : nat) (W : nat -> nat -> R) (th : nat -> R) "
        "(I : list nat) (j : nat)",
        (LIPSCHITZ, SCALE, BALL, KAPPA,
         ("0 < l1 m th", "a = ‖θ‖₁ > 0"),
         ("length I = q", "an outcome: q draws I_1..I_q"),
         ("forall i, In i I -> (i < m)%nat /\\ th i <> 0",
          "of positive probability (every draw has P(I = i) = |θ_i|/a > 0)"),
         ("(j < m)%nat", "a coordinate j"),
         ("(0 < q)%nat", "q ≥ 1 (q is a positive integer symbol in the registry)")),
        {"q": "INR q", "m": "INR m", "a": "l1 m th", "D_X": "DX", "L": "L",
         "l0_hat": "l0 m (maurey m q th I)", "l1_hat": "l1 m (maurey m q th I)",
         "bias": "expect m q (mass_prob m th) (fun J => maurey m q th J j) - th j",
         "err2": "expect m q (mass_prob m th) (fun J => mean N (fun k => "
         "(Phi d m W (maurey m q th J) (X k) - Phi d m W th (X k)) ^ 2))",
         "F": f"{FOBJ} W th",
         "Fhat": f"{FOBJ} W (maurey m q th (good_draw N d m q X Y ell kappa W th))"},
        drop_conclusion={
            "alpha": "the Hölder clause is registry_ll_sampling_holder (at α = 1), which "
            "assumes no Lipschitz bound on ℒ",
        },
        extra=("length (good_draw N d m q X Y ell kappa W th) = q /\\ "
               "(forall i, In i (good_draw N d m q X Y ell kappa W th) -> "
               "(i < m)%nat /\\ th i <> 0)",),
        summary="for every outcome of positive probability ‖θ̂‖₀ ≤ q and ‖θ̂‖₁ = a; "
        "E θ̂_j = θ_j and E mean_k (Φ̂(x_k) − Φ(x_k))² ≤ a²D_X²/q as finite sums over all "
        "m^q outcomes; the best outcome of positive probability has "
        "F(W, θ̂) ≤ F(W, θ) + L a D_X/√q",
    ),
    CoqSpec(
        "ll:sampling", "SamplingHolder", "sampling_holder",
        f"{DATA} (H DX kappa : R) (dell : R -> R -> R) (q : nat) (W : nat -> nat -> R) "
        "(th : nat -> R) (I : list nat) (j : nat)",
        (SCALE, BALL,
         ("0 < l1 m th", "a = ‖θ‖₁ > 0"),
         ("length I = q", "an outcome: q draws I_1..I_q"),
         ("forall i, In i I -> (i < m)%nat /\\ th i <> 0",
          "of positive probability (every draw has P(I = i) = |θ_i|/a > 0)"),
         ("(j < m)%nat", "a coordinate j"),
         ("(0 < q)%nat", "q ≥ 1 (q is a positive integer symbol in the registry)")),
        {"q": "INR q", "m": "INR m", "a": "l1 m th", "D_X": "DX", "H": "H",
         "HolderDerivative(ell(y, u), u, 1, H)": "holder1_loss ell dell H",
         "l0_hat": "l0 m (maurey m q th I)", "l1_hat": "l1 m (maurey m q th I)",
         "bias": "expect m q (mass_prob m th) (fun J => maurey m q th J j) - th j",
         "err2": "expect m q (mass_prob m th) (fun J => mean N (fun k => "
         "(Phi d m W (maurey m q th J) (X k) - Phi d m W th (X k)) ^ 2))",
         "F": f"{FOBJ} W th",
         "Fhat": f"{FOBJ} W (maurey m q th (good_draw N d m q X Y ell kappa W th))"},
        drop_conclusion={
            "L": "the Lipschitz good draw F + L a D_X/√q is registry_ll_sampling",
        },
        part="holder", specialize={"alpha": 1},
        summary="at α = 1 (ℒ(y, ·) differentiable with an H-Lipschitz derivative ℒ', "
        "holder1_loss): the best outcome of positive probability has F(W, θ̂) ≤ F(W, θ) + "
        "(H/2) a² D_X²/q, with no Lipschitz bound on ℒ; the proof uses only the descent "
        "inequality ℒ(y, v) ≤ ℒ(y, u) + ℒ'(y, u)(v − u) + (H/2)(v − u)² (holder1_descent; "
        "an identity for half-squared, proved for Huber); the moments as in "
        "registry_ll_sampling",
    ),
    CoqSpec(
        "ll:bridge", "Statements", "bridge",
        f"{DATA} (L DX kappa r Lam Rlow t : R) (WA WB : nat -> nat -> R) "
        "(thA thB : nat -> R)",
        (LIPSCHITZ, CONVEX, SCALE, KAPPA, ("0 <= r", "r ≥ 0"),
         ("forall i, (i < m)%nat -> norm d (vsub (WB i) (WA i)) <= r",
          "rows within r: ‖ŵ_i − w_i‖ ≤ r"),
         ("risk N d m X Y ell WA thA >= Rlow", "R ≥ R̲ at A"),
         ("risk N d m X Y ell WB thB >= Rlow", "R ≥ R̲ at B"),
         ("0 <= t <= 1", "a point of the straight segment")),
        {"F_A": f"{FOBJ} WA thA", "F_B": f"{FOBJ} WB thB", "Lambda": "Lam",
         "R_low": "Rlow", "D_X": "DX", "L": "L", "r": "r", "kappa": "kappa",
         "F_max": f"{FOBJ} (wlin t WA WB) (thlin t thA thB)"},
        summary="on the straight segment between (W_A, θ_A), (W_B, θ_B) with rows within r "
        "and F ≤ Λ at both ends, F ≤ Λ + (L D_X/κ) r (Λ − R̲)",
    ),
    CoqSpec(
        "ll:thm-fixed-level", "FixedLevel", "fixed_level_connected",
        f"{DATA} (L DX kappa lam : R) (W : nat -> nat -> R) (th : nat -> R)",
        (LIPSCHITZ, CONVEX, SCALE, BALL, KAPPA),
        {"kappa": "kappa", "D_X": "DX", "L": "L", "F_0": f"{FOBJ} W zero_theta",
         "F": f"{FOBJ} W th",
         "GlobalMin(0)": "forall W' th', in_ball d m W' -> "
         "Fobj N d m X Y ell kappa W' zero_theta <= Fobj N d m X Y ell kappa W' th'",
         # Ω_m(λ) connected, finite polygonal form (Paths.v): any two points of the
         # sublevel set (rows in the ball, F ≤ λ) are joined by a finite polygonal path
         # every point of which has rows in the ball and F ≤ λ
         "Connected(Omega(m, lambda))": "forall WA thA WB thB, in_ball d m WA -> "
         "in_ball d m WB -> Fobj N d m X Y ell kappa WA thA <= lam -> "
         "Fobj N d m X Y ell kappa WB thB <= lam -> exists ps, "
         "last ps (WA, thA) = (WB, thB) /\\ "
         "below (Fp N d m X Y ell kappa) lam (WA, thA) ps /\\ along (ball_pt d m) (WA, thA) ps"},
        drop_conclusion={
            "b_m": "the O(1/m) rate at a fixed level is registry_ll_thm_fixed_level_rate, "
            "its Hölder rate (α = 1) registry_ll_thm_fixed_level_holder",
        },
        drop_hypotheses={"e_inf": "λ > e_∞ is used only by the O(1/m) clause"},
        summary="κ ≥ L D_X ⇒ F(W, 0) ≤ F(W, θ) for every model with rows in the ball (the "
        "zero network is a global minimizer), and every sublevel set {F ≤ λ} is connected "
        "by finite polygonal paths in it: A → (W_A, 0) → (W_B, 0) → B",
    ),
    CoqSpec(
        "ll:thm-finite", "Finite", "thm_finite",
        f"{DATA} (L DX kappa r lam Lam Rlow : R) (l : nat) "
        "(WA WB WAh WBh Wr : nat -> nat -> R) (thA thB gA gB thr : nat -> R) (k : nat) (t : R)",
        (LIPSCHITZ, CONVEX, SCALE, KAPPA, ("0 <= r", "r ≥ 0"),
         ("in_ball d m WA", "A's rows in the ball"), ("in_ball d m WB", "B's rows in the ball"),
         ("in_ball d m WAh", "Ŵ_A's rows in the ball"),
         ("in_ball d m WBh", "Ŵ_B's rows in the ball"),
         ("forall i, (i < m)%nat -> norm d (vsub (WAh i) (WA i)) <= r",
          "Ŵ_A's rows within r of A's: ‖ŵ_i − w_i‖ ≤ r"),
         ("forall i, (i < m)%nat -> norm d (vsub (WBh i) (WB i)) <= r",
          "Ŵ_B's rows within r of B's"),
         ("l0 m gA <= INR m - INR l",
          "γ_A is (m − l)-sparse on Ŵ_A: δ_A is read as F(Ŵ_A, γ_A), a given witness of the "
          "robust compression δ_{W_A}(m − l, r; m) (no attainment needed)"),
         ("l0 m gB <= INR m - INR l", "γ_B is (m − l)-sparse on Ŵ_B (δ_B = F(Ŵ_B, γ_B))"),
         ("risk N d m X Y ell WA thA >= Rlow", "R ≥ R̲ at A"),
         ("risk N d m X Y ell WB thB >= Rlow", "R ≥ R̲ at B"),
         ("risk N d m X Y ell WAh gA >= Rlow", "R ≥ R̲ at (Ŵ_A, γ_A)"),
         ("risk N d m X Y ell WBh gB >= Rlow", "R ≥ R̲ at (Ŵ_B, γ_B)"),
         ("in_ball d l Wr", "a given width-l reference model (W_r, θ_r) with rows in the ball; "
          "e(l) is read as its F (no attainment needed)"),
         ("(k < length (finite_path m l WB WAh WBh Wr gA gB thB thr))%nat",
          "segment k of the constructed path"),
         ("0 <= t <= 1", "the point t of that segment")),
        {"F_A": f"{FOBJ} WA thA", "F_B": f"{FOBJ} WB thB", "lambda": "lam", "Lambda": "Lam",
         "R_low": "Rlow", "D_X": "DX", "L": "L", "r": "r", "kappa": "kappa",
         "l": "INR l", "m": "INR m",
         "delta_A": f"{FOBJ} WAh gA", "delta_B": f"{FOBJ} WBh gB",
         "e_l": "Fobj N d l X Y ell kappa Wr thr",
         "F_max": "Fp N d m X Y ell kappa (path_pt (WA, thA) "
         "(finite_path m l WB WAh WBh Wr gA gB thB thr) k t)"},
        extra=("last (finite_path m l WB WAh WBh Wr gA gB thB thr) (WA, thA) = (WB, thB)",
               "along (ball_pt d m) (WA, thA) (finite_path m l WB WAh WBh Wr gA gB thB thr)"),
        summary="one constructed path: ll:bridge's straight segment A → (Ŵ_A, γ_A) (rows "
        "within r, γ_A (m − l)-sparse, F = δ_A), ll:zero-radius's path from (Ŵ_A, γ_A) to "
        "(Ŵ_B, γ_B) through a given width-l reference (free rows and convex θ-segments; the "
        "reference's units land in slots free at both ends, so no relabeling is needed), and "
        "the bridge (Ŵ_B, γ_B) → B: F ≤ Λ + (L D_X/κ) r (Λ − R̲) at every point, "
        "Λ = max{λ, e(l), δ_A, δ_B}; the path ends at B and keeps the rows in the ball",
    ),
    CoqSpec(
        "ll:thm-fixed-level", "FixedRate", "fixed_level_rate",
        f"{DATA} (L DX kappa lam Rlow : R) (l : nat) (WA WB Wr : nat -> nat -> R) "
        "(thA thB thr : nat -> R) (k : nat) (t : R)",
        (LIPSCHITZ, CONVEX, SCALE, KAPPA,
         ("in_ball d m WA", "A's rows in the ball"), ("in_ball d m WB", "B's rows in the ball"),
         ("Fobj N d m X Y ell kappa WA thA <= lam", "A ∈ Ω_m(λ): F(A) ≤ λ"),
         ("Fobj N d m X Y ell kappa WB thB <= lam", "B ∈ Ω_m(λ): F(B) ≤ λ"),
         ("risk N d m X Y ell WA thA >= Rlow", "R ≥ R̲ at A"),
         ("risk N d m X Y ell WB thB >= Rlow", "R ≥ R̲ at B"),
         ("in_ball d l Wr", "a given width-l reference model (W_r, θ_r) with rows in the ball"),
         ("(l <= m)%nat", "the reference fits: l ≤ m"),
         ("(k < length (rate_path m l WA WB Wr thA thB thr))%nat",
          "segment k of the constructed path"),
         ("0 <= t <= 1", "the point t of that segment")),
        {"lambda": "lam", "m": "INR m",
         # λ > e_∞ as the proof uses it: some fixed width l has e(l) < λ; here a given
         # width-l reference with F < λ stands for it (e(l) ↓ e_∞ is not kernel-checked)
         "e_inf": "Fobj N d l X Y ell kappa Wr thr",
         # C, independent of m: (L D_X − κ)₊ l (λ − R̲)/κ for the fixed l
         "C": "Rmax (DX * L - kappa) 0 * INR l * (lam - Rlow) / kappa",
         "b_m": "Fp N d m X Y ell kappa (path_pt (WA, thA) "
         "(rate_path m l WA WB Wr thA thB thr) k t) - lam"},
        drop_conclusion={
            "F_0": "the κ ≥ L D_X clause is registry_ll_thm_fixed_level",
            "GlobalMin": "the κ ≥ L D_X clause is registry_ll_thm_fixed_level",
            "Connected": "the κ ≥ L D_X clause is registry_ll_thm_fixed_level",
            "C_h": "the Hölder rate is registry_ll_thm_fixed_level_holder (at α = 1)",
        },
        extra=("last (rate_path m l WA WB Wr thA thB thr) (WA, thA) = (WB, thB)",
               "along (ball_pt d m) (WA, thA) (rate_path m l WA WB Wr thA thB thr)"),
        part="rate",
        summary="the O(1/m) rate on one constructed path: ll:pruning at each end (the l "
        "smallest masses removed, ‖θ_pr‖₀ ≤ m − l, F ≤ λ + (L D_X − κ)₊ (l/m)(λ − R̲)/κ by "
        "ll:l1-control), joined by ll:zero-radius's path through a given width-l reference "
        "with F < λ (how λ > e_∞ is used): F − λ ≤ C/m at every point, "
        "C = (L D_X − κ)₊ l (λ − R̲)/κ independent of m",
    ),
    CoqSpec(
        "ll:thm-fixed-level", "FixedRate", "fixed_level_holder",
        f"{DATA} (H DX kappa lam : R) (dell : R -> R -> R) (l : nat) "
        "(WA WB Wr : nat -> nat -> R) (thA thB thr : nat -> R) (k : nat) (t : R)",
        (CONVEX, SCALE, KAPPA,
         ("in_ball d m WA", "A's rows in the ball"), ("in_ball d m WB", "B's rows in the ball"),
         ("Fobj N d m X Y ell kappa WA thA <= lam", "A ∈ Ω_m(λ): F(A) ≤ λ"),
         ("Fobj N d m X Y ell kappa WB thB <= lam", "B ∈ Ω_m(λ): F(B) ≤ λ"),
         ("in_ball d l Wr", "a given width-l reference model (W_r, θ_r) with rows in the ball"),
         ("(l < m)%nat", "the reference fits with q = m − l ≥ 1"),
         ("(k < length (dimfree_path N d m (m - l) l X Y ell kappa WA thA WB thB Wr thr))%nat",
          "segment k of ll:thm-dimfree's path with q = m − l"),
         ("0 <= t <= 1", "the point t of that segment")),
        {"lambda": "lam", "m": "INR m",
         # λ > e_∞ as the proof uses it (see the rate part)
         "e_inf": "Fobj N d l X Y ell kappa Wr thr",
         # C_h, independent of m: (l + 1) H D_X² λ²/(2κ²) for the fixed l
         "C_h": "INR (S l) * H * DX ^ 2 * lam ^ 2 / (2 * kappa ^ 2)",
         "HolderDerivative(ell(y, u), u, 1, H)": "holder1_loss ell dell H",
         "Nonnegative(ell(y, u))": "nonneg_loss ell",
         "b_m": "Fp N d m X Y ell kappa (path_pt (WA, thA) "
         "(dimfree_path N d m (m - l) l X Y ell kappa WA thA WB thB Wr thr) k t) - lam"},
        drop_conclusion={
            "C": "the Lipschitz O(1/m) rate is registry_ll_thm_fixed_level_rate",
            "F_0": "the κ ≥ L D_X clause is registry_ll_thm_fixed_level",
            "GlobalMin": "the κ ≥ L D_X clause is registry_ll_thm_fixed_level",
            "Connected": "the κ ≥ L D_X clause is registry_ll_thm_fixed_level",
        },
        part="holder", specialize={"alpha": 1},
        summary="the Hölder rate at α = 1 (ℒ' H-Lipschitz, ℒ ≥ 0): ll:thm-dimfree's path with "
        "q = m − l and λ̄ = λ, through a given width-l reference with F < λ, has F − λ ≤ "
        "(H/2) D_X² λ²/(κ² (m − l)) ≤ C_h/m at every point, C_h = (l + 1) H D_X² λ²/(2κ²) "
        "independent of m (m ≤ (l + 1)(m − l) for m > l)",
    ),
    CoqSpec(
        "ll:zero-radius", "ZeroRadius", "zero_radius",
        f"{DATA} (kappa lam eps : R) (q l : nat) (WA WB Wr : nat -> nat -> R) "
        "(thA thB thAh thBh thr : nat -> R) (k : nat) (t : R)",
        (CONVEX, KAPPA,
         ("0 <= eps", "ε ≥ 0 (a nonnegative symbol in the registry)"),
         ("l0 m thAh <= INR q", "θ̂_A is q-sparse on A's rows W_A: δ_A is read as F(W_A, θ̂_A), "
          "a given witness of the robust compression at radius 0 (no attainment needed)"),
         ("l0 m thBh <= INR q", "θ̂_B is q-sparse on B's rows W_B (δ_B = F(W_B, θ̂_B))"),
         ("in_ball d m WA", "A's rows in the ball"), ("in_ball d m WB", "B's rows in the ball"),
         ("in_ball d l Wr", "a given width-l reference model (W_r, θ_r) with rows in the ball; "
          "e(l) is read as its F (no attainment needed)"),
         ("(k < length (zr_path m l WA WB Wr thAh thBh thB thr))%nat",
          "segment k of the constructed path"),
         ("0 <= t <= 1", "the point t of that segment")),
        {"F_A": f"{FOBJ} WA thA", "F_B": f"{FOBJ} WB thB", "lambda": "lam", "epsilon": "eps",
         "q": "INR q", "m": "INR m", "l": "INR l",
         "delta_A": f"{FOBJ} WA thAh", "delta_B": f"{FOBJ} WB thBh",
         "e_l": "Fobj N d l X Y ell kappa Wr thr",
         "F_max": "Fp N d m X Y ell kappa (path_pt (WA, thA) "
         "(zr_path m l WA WB Wr thAh thBh thB thr) k t)"},
        extra=("last (zr_path m l WA WB Wr thAh thBh thB thr) (WA, thA) = (WB, thB)",
               "along (ball_pt d m) (WA, thA) (zr_path m l WA WB Wr thAh thBh thB thr)"),
        summary="q-sparse θ̂_A, θ̂_B on the endpoints' own rows with F ≤ λ + ε and a width-l "
        "reference: the 9-segment path A → (W_A, θ̂_A) → reference embedded in l free slots of "
        "θ̂_A → the same in B's free slots (slots chosen to agree where both are free) → "
        "(W_B, θ̂_B) → B has F ≤ max(e(l), λ + ε) at every point, ends at B and keeps the "
        "rows in the ball",
    ),
    CoqSpec(
        "ll:thm-dimfree", "Dimfree", "dimfree",
        f"{DATA} (L DX kappa lam lamb Rlow : R) (q l : nat) (WA WB Wr : nat -> nat -> R) "
        "(thA thB thr : nat -> R) (k : nat) (t : R)",
        (LIPSCHITZ, CONVEX, SCALE, KAPPA,
         ("in_ball d m WA", "A's rows in the ball"), ("in_ball d m WB", "B's rows in the ball"),
         ("risk N d m X Y ell WA thA >= Rlow", "R ≥ R̲ at A"),
         ("risk N d m X Y ell WB thB >= Rlow", "R ≥ R̲ at B"),
         ("in_ball d l Wr", "a given width-l reference model (W_r, θ_r) with rows in the ball; "
          "e(l) is read as its F (no attainment needed)"),
         ("(0 < q)%nat", "q ≥ 1 (q is a positive integer symbol in the registry)"),
         ("(k < length (dimfree_path N d m q l X Y ell kappa WA thA WB thB Wr thr))%nat",
          "segment k of the constructed path"),
         ("0 <= t <= 1", "the point t of that segment")),
        {"F_A": f"{FOBJ} WA thA", "F_B": f"{FOBJ} WB thB", "lambda": "lam",
         "lambdabar": "lamb", "R_low": "Rlow", "q": "INR q", "m": "INR m", "l": "INR l",
         "D_X": "DX", "L": "L", "kappa": "kappa", "e_l": "Fobj N d l X Y ell kappa Wr thr",
         "b_m": "Fp N d m X Y ell kappa (path_pt (WA, thA) "
         "(dimfree_path N d m q l X Y ell kappa WA thA WB thB Wr thr) k t) - lam"},
        drop_conclusion={
            "alpha": "the Hölder clause is registry_ll_thm_dimfree_holder (at α = 1)",
        },
        extra=("last (dimfree_path N d m q l X Y ell kappa WA thA WB thB Wr thr) (WA, thA) "
               "= (WB, thB)",
               "along (ball_pt d m) (WA, thA) "
               "(dimfree_path N d m q l X Y ell kappa WA thA WB thB Wr thr)"),
        summary="𝔟_m(λ) read on one constructed path: ll:sampling's best q-atom draw at each "
        "end (q-sparse on the end's own rows, F ≤ λ + L D_X (λ̄ − R̲)/(κ√q) by "
        "ll:l1-control), joined by ll:zero-radius's 9-segment path through a given width-l "
        "reference: at every point F − λ ≤ max(0, L D_X (λ̄ − R̲)/(κ√q), e(l) − λ), no "
        "dependence on d; the path ends at B and keeps the rows in the ball",
    ),
    CoqSpec(
        "ll:thm-dimfree", "Dimfree", "dimfree_holder",
        f"{DATA} (H DX kappa lam lamb : R) (dell : R -> R -> R) (q l : nat) "
        "(WA WB Wr : nat -> nat -> R) (thA thB thr : nat -> R) (k : nat) (t : R)",
        (CONVEX, SCALE, KAPPA,
         ("in_ball d m WA", "A's rows in the ball"), ("in_ball d m WB", "B's rows in the ball"),
         ("in_ball d l Wr", "a given width-l reference model (W_r, θ_r) with rows in the ball; "
          "e(l) is read as its F (no attainment needed)"),
         ("(0 < q)%nat", "q ≥ 1 (q is a positive integer symbol in the registry)"),
         ("(k < length (dimfree_path N d m q l X Y ell kappa WA thA WB thB Wr thr))%nat",
          "segment k of the constructed path"),
         ("0 <= t <= 1", "the point t of that segment")),
        {"F_A": f"{FOBJ} WA thA", "F_B": f"{FOBJ} WB thB", "lambda": "lam",
         "lambdabar": "lamb", "q": "INR q", "m": "INR m", "l": "INR l",
         "D_X": "DX", "H": "H", "kappa": "kappa", "e_l": "Fobj N d l X Y ell kappa Wr thr",
         "HolderDerivative(ell(y, u), u, 1, H)": "holder1_loss ell dell H",
         "Nonnegative(ell(y, u))": "nonneg_loss ell",
         "b_m": "Fp N d m X Y ell kappa (path_pt (WA, thA) "
         "(dimfree_path N d m q l X Y ell kappa WA thA WB thB Wr thr) k t) - lam"},
        drop_conclusion={
            "L": "the Lipschitz bound is registry_ll_thm_dimfree",
        },
        part="holder", specialize={"alpha": 1},
        summary="at α = 1 (ℒ' H-Lipschitz, ℒ ≥ 0 so R̲ = 0), on the same path: F − λ ≤ "
        "max(0, (H/2)(D_X λ̄/(κ√q))², e(l) − λ) at every point, with no Lipschitz bound on ℒ",
    ),
    CoqSpec(
        "new:buffer-permutation", "Relabel", "buffer_relabel",
        f"{DATA} (kappa t : R) (W : nat -> nat -> R) (th : nat -> R) (b k : nat) "
        "(cs : list (list nat))",
        (("(b < m)%nat", "the buffer unit b < m (the teacher's width is m − 1)"),
         ("th b = 0", "θ_b = 0 (one zero buffer unit)"),
         ("cycles_ok m b cs", "σ by its disjoint cycles (c_0 … c_{k−1}), k ≥ 2, of units "
          "< m other than b; σ = the product of the transpositions (c_0 c_1)(c_1 c_2)… of "
          "each cycle (σ c_i = c_{i+1}, σ c_{k−1} = c_0); its fixed points are exactly the "
          "m − 1 − Σk units in no cycle (proved) (every permutation of the non-buffer "
          "units has such a list; that decomposition is not itself proved)"),
         ("(k < length (cyc_path b cs (W, th)))%nat",
          "segment k of the path: k + 1 moves (copy segment, transfer segment) per cycle, "
          "then the buffer row back into place"),
         ("0 <= t <= 1", "the point t of that segment")),
        {"F(theta_star)": f"{FOBJ} W th",
         "F(theta_sigma)": f"{FOBJ} (perm_W W (sigma_ts cs)) (perm_th th (sigma_ts cs))",
         "barrier_m1": "Fp N d m X Y ell kappa (path_pt (W, th) (cyc_path b cs (W, th)) k t)"
         f" - Rmax ({FOBJ} (perm_W W (sigma_ts cs)) (perm_th th (sigma_ts cs))) "
         f"({FOBJ} W th)",
         # the registry's m is the teacher's width: the Coq model's m units minus the buffer
         "m": "(INR m - 1)", "transfers": "INR (length (cyc_all b cs))",
         "fix_sigma": "(INR m - 1 - INR (length (concat cs)))",
         "cyc_sigma": "INR (length cs)"},
        drop_conclusion={
            "barrier_m": "the positive barrier at width m is fb:counterexample's (every "
            "path), not kernel-checked",
        },
        extra=("last (cyc_path b cs (W, th)) (W, th) = "
               "(perm_W W (sigma_ts cs), perm_th th (sigma_ts cs))",
               "along (fun p => Fp N d m X Y ell kappa p = Fobj N d m X Y ell kappa W th) "
               "(W, th) (cyc_path b cs (W, th))",
               "legal m (W, th) (cyc_all b cs) /\\ "
               "(length (cyc_all b cs) <= 3 * length (sigma_ts cs))%nat",
               # fix(σ) read as the units in no cycle: proved
               "forall i, perm_idx (sigma_ts cs) i = i <-> ~ In i (concat cs)"),
        summary="any permutation σ of the non-buffer units, by its disjoint cycles, "
        "through one zero buffer unit: a legal list of m − fix(σ) + cyc(σ) moves (k + 1 "
        "per k-cycle, ≤ 3 per transposition; each a copy segment into a zero-coefficient "
        "unit, then a transfer segment) and a last free-row segment form a path that ends "
        "exactly at (W ∘ σ, θ ∘ σ) with F constant at every point (= 0 when both endpoints "
        "fit exactly)",
    ),
)


def spec(label: str, part: str = "") -> CoqSpec:
    for s in SPECS:
        if s.label == label and s.part == part:
            return s
    raise KeyError(f"no Coq spec for {label!r}" + (f" part {part!r}" if part else ""))


def parts(label: str) -> tuple[str, ...]:
    """The parts of `label` with a Coq theorem ("" the main one), in `SPECS` order."""
    return tuple(s.part for s in SPECS if s.label == label)
