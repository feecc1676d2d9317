(** ll:sampling, the Hölder clause at α = 1, finite form.

    The loss class is the descent inequality
      ℒ(y, v) ≤ ℒ(y, u) + ℒ'(y, u)(v − u) + (H/2)(v − u)²,  H ≥ 0,
    with ℒ' any function of (y, u) ([descent_loss]). It is an identity for the
    half-squared loss (H = 1, [half_squared_descent]); it holds for the Huber loss
    (H = 1, [huber_descent]) and the binary cross-entropy (H = ¼, [bce_descent]); and
    every loss differentiable in u whose derivative is
    H-Lipschitz (Hölder with α = 1) is in it ([holder1_descent]: the sign of the
    derivative of ℒ(v) − ℒ'(u)(v − u) − (H/2)(v − u)², and monotonicity proved by a
    least-upper-bound argument, [nonpos_deriv_le], since the standard library's mean value
    theorem rests on [Classical_Prop.classic]). The registry theorem reads Hölder α = 1
    as [holder1_loss] and goes through [holder1_descent]; [good_draw_holder] holds for the
    whole descent class.

    With rows in the unit ball, E Φ̂(x) = Φ(x) at every x ([Phi_unbiased]), so the linear
    term averages out, and the variance bound (Variance.v) gives
      E F(W, θ̂) ≤ F(W, θ) + (H/2) a² D_X²/q;
    the best outcome of positive probability (GoodDraw.v's [good_draw], the same draw as
    the Lipschitz clause) is below the average. No Lipschitz bound on ℒ is assumed. *)
Require Import Reals Lra Lia List.
Require Import RL.Sums RL.Model RL.Statements RL.Sampling RL.Variance RL.GoodDraw.
Open Scope R_scope.

Definition descent_loss (ell dell : R -> R -> R) (H : R) : Prop :=
  0 <= H /\
  forall y u v, ell y v <= ell y u + dell y u * (v - u) + H / 2 * (v - u) ^ 2.

(** Hölder α = 1: ℒ(y, ·) differentiable with derivative ℒ'(y, ·), and ℒ' H-Lipschitz. *)
Definition holder1_loss (ell dell : R -> R -> R) (H : R) : Prop :=
  (forall y u, derivable_pt_lim (ell y) u (dell y u)) /\
  forall y u v, Rabs (dell y u - dell y v) <= H * Rabs (u - v).

(** The half-squared loss: the descent inequality is an identity. *)
Definition half_squared (y u : R) : R := (u - y) ^ 2 / 2.

Lemma half_squared_identity y u v :
  half_squared y v = half_squared y u + (u - y) * (v - u) + 1 / 2 * (v - u) ^ 2.
Proof. unfold half_squared. field. Qed.

Lemma half_squared_descent : descent_loss half_squared (fun y u => u - y) 1.
Proof. split; [lra|]. intros y u v. rewrite (half_squared_identity y u v). lra. Qed.

(** The Huber loss with threshold δ > 0 and its derivative, the clipped residual. *)
Definition huber (delta y u : R) : R :=
  if Rle_dec (Rabs (u - y)) delta then (u - y) ^ 2 / 2
  else delta * Rabs (u - y) - delta ^ 2 / 2.
Definition clip (delta z : R) : R := Rmax (- delta) (Rmin delta z).

Lemma huber_descent delta : 0 < delta -> descent_loss (huber delta) (fun y u => clip delta (u - y)) 1.
Proof.
  intros Hd. split; [lra|]. intros y u v. cbv beta. unfold huber, clip.
  replace (v - u) with ((v - y) - (u - y)) by ring.
  generalize (u - y) (v - y). intros r s.
  unfold Rmax, Rmin, Rabs;
  repeat match goal with
         | |- context [Rcase_abs ?a] => destruct (Rcase_abs a)
         | H : context [Rcase_abs ?a] |- _ => destruct (Rcase_abs a)
         | |- context [Rle_dec ?a ?b] => destruct (Rle_dec a b)
         | H : context [Rle_dec ?a ?b] |- _ => destruct (Rle_dec a b)
         end; try lra; pose proof (pow2_ge_0 (s - r)); nra.
Qed.

(** Monotonicity from the sign of the derivative, by a least-upper-bound argument
    (the standard library's mean value theorem would add [Classical_Prop.classic]). *)
Lemma deriv_bound (f : R -> R) c l :
  derivable_pt_lim f c l ->
  exists delta, 0 < delta /\ forall h, h <> 0 -> Rabs h < delta ->
    Rabs (f (c + h) - f c) <= (Rabs l + 1) * Rabs h.
Proof.
  intros Hd. destruct (Hd 1 Rlt_0_1) as [[delta Hpos] Hdel].
  exists delta. split; [exact Hpos|]. intros h Hh Hs.
  specialize (Hdel h Hh Hs). simpl in Hdel.
  set (qq := (f (c + h) - f c) / h) in Hdel.
  assert (E : f (c + h) - f c = qq * h) by (unfold qq; field; exact Hh).
  rewrite E, Rabs_mult.
  assert (Rabs qq <= Rabs l + 1).
  { pose proof (Rabs_triang (qq - l) l) as T. replace (qq - l + l) with qq in T by ring. lra. }
  apply Rmult_le_compat_r; [apply Rabs_pos|assumption].
Qed.

Lemma deriv_step (f : R -> R) c l eps :
  derivable_pt_lim f c l -> 0 < eps ->
  exists delta, 0 < delta /\ forall h, 0 < h -> h < delta -> f (c + h) - f c <= (l + eps) * h.
Proof.
  intros Hd He. destruct (Hd eps He) as [[delta Hpos] Hdel].
  exists delta. split; [exact Hpos|]. intros h Hh Hs.
  assert (Hh0 : h <> 0) by lra.
  assert (Habs : Rabs h < delta) by (rewrite Rabs_pos_eq; lra).
  specialize (Hdel h Hh0 Habs). simpl in Hdel.
  set (qq := (f (c + h) - f c) / h) in Hdel.
  assert (E : f (c + h) - f c = qq * h) by (unfold qq; field; exact Hh0).
  rewrite E. pose proof (Rle_abs (qq - l)). apply Rmult_le_compat_r; lra.
Qed.

(** A nonpositive derivative on [a, b] does not let f increase (no mean value theorem:
    a least-upper-bound argument, so only the real-number axioms are used). *)
Lemma nonpos_deriv_eps (f f' : R -> R) a b eps :
  a <= b -> 0 < eps -> (forall x, derivable_pt_lim f x (f' x)) ->
  (forall x, a <= x <= b -> f' x <= 0) -> f b <= f a + eps * (b - a).
Proof.
  intros Hab He Hd Hneg.
  set (E := fun x => a <= x <= b /\ forall y, a <= y <= x -> f y <= f a + eps * (y - a)).
  assert (Ea : E a).
  { split; [lra|]. intros y Hy. replace y with a by lra. lra. }
  assert (Hbd : bound E) by (exists b; intros x [Hx _]; lra).
  destruct (completeness E Hbd (ex_intro _ a Ea)) as [c [Hub Hlub]].
  assert (Hac : a <= c) by (apply Hub, Ea).
  assert (Hcb : c <= b) by (apply Hlub; intros x [Hx _]; lra).
  (* (1) below c *)
  assert (H1 : forall y, a <= y < c -> f y <= f a + eps * (y - a)).
  { intros y Hy. destruct (Rle_dec (f y) (f a + eps * (y - a))) as [Hle|Hgt]; [exact Hle|].
    exfalso. assert (Hyub : is_upper_bound E y).
    { intros x [Hx Hall]. destruct (Rle_dec x y) as [|Hxy]; [assumption|].
      exfalso. apply Hgt, Hall. lra. }
    pose proof (Hlub y Hyub). lra. }
  (* (2) at c *)
  assert (H2 : f c <= f a + eps * (c - a)).
  { destruct (Rle_dec (f c) (f a + eps * (c - a))) as [Hle|Hgt]; [exact Hle|exfalso].
    destruct (Req_dec c a) as [Eca|Nca]; [subst c; lra|].
    set (gap := f c - (f a + eps * (c - a))).
    assert (Hgap : 0 < gap) by (unfold gap; lra).
    destruct (deriv_bound f c (f' c) (Hd c)) as [delta [Hdp Hdel]].
    set (K := Rabs (f' c) + 1).
    assert (HK : 0 < K) by (unfold K; pose proof (Rabs_pos (f' c)); lra).
    set (h := Rmin (Rmin (delta / 2) (c - a)) (gap / (2 * K))).
    assert (Hh0 : 0 < h).
    { unfold h. apply Rmin_glb_lt; [apply Rmin_glb_lt; lra|].
      unfold Rdiv. apply Rmult_lt_0_compat; [exact Hgap|apply Rinv_0_lt_compat; lra]. }
    assert (Hh1 : h <= delta / 2) by (unfold h; eapply Rle_trans; [apply Rmin_l|apply Rmin_l]).
    assert (Hh2 : h <= c - a) by (unfold h; eapply Rle_trans; [apply Rmin_l|apply Rmin_r]).
    assert (Hh3 : h <= gap / (2 * K)) by (unfold h; apply Rmin_r).
    assert (Hb : Rabs (f (c + - h) - f c) <= K * Rabs (- h)).
    { apply Hdel; [lra|rewrite Rabs_Ropp, Rabs_pos_eq; lra]. }
    rewrite Rabs_Ropp, (Rabs_pos_eq h) in Hb by lra.
    assert (HKh : K * h <= gap / 2).
    { apply (Rmult_le_compat_l K) in Hh3; [|lra].
      replace (K * (gap / (2 * K))) with (gap / 2) in Hh3 by (field; lra). exact Hh3. }
    assert (Hy : f (c + - h) <= f a + eps * (c + - h - a)) by (apply H1; lra).
    pose proof (Rle_abs (f c - f (c + - h))) as Ha.
    rewrite <- Rabs_Ropp in Ha. replace (- (f c - f (c + - h))) with (f (c + - h) - f c) in Ha by ring.
    assert (eps * (c + - h - a) <= eps * (c - a)) by (apply Rmult_le_compat_l; lra).
    unfold gap in *. lra. }
  assert (Ec : E c).
  { split; [lra|]. intros y Hy. destruct (Req_dec y c) as [->|Nyc]; [exact H2|].
    apply H1. lra. }
  (* (3) c = b *)
  assert (Hcb' : c = b).
  { destruct (Req_dec c b) as [|Ncb]; [assumption|exfalso].
    destruct (deriv_step f c (f' c) eps (Hd c) He) as [delta [Hdp Hstep]].
    set (h := Rmin (delta / 2) (b - c)).
    assert (Hh0 : 0 < h) by (unfold h; apply Rmin_glb_lt; lra).
    assert (Hh1 : h <= delta / 2) by (unfold h; apply Rmin_l).
    assert (Hh2 : h <= b - c) by (unfold h; apply Rmin_r).
    assert (Ech : E (c + h)).
    { split; [lra|]. intros y Hy.
      destruct (Rle_dec y c) as [Hyc|Hyc]; [apply (proj2 Ec); lra|].
      assert (Hneg' : f' c <= 0) by (apply Hneg; lra).
      pose proof (Hstep (y - c) ltac:(lra) ltac:(lra)) as Hs.
      replace (c + (y - c)) with y in Hs by ring.
      assert ((f' c + eps) * (y - c) <= eps * (y - c)) by (apply Rmult_le_compat_r; lra).
      assert (eps * (c - a) + eps * (y - c) = eps * (y - a)) by ring.
      lra. }
    pose proof (Hub _ Ech). lra. }
  subst c. apply (proj2 Ec). lra.
Qed.

Lemma nonpos_deriv_le (f f' : R -> R) a b :
  a <= b -> (forall x, derivable_pt_lim f x (f' x)) ->
  (forall x, a <= x <= b -> f' x <= 0) -> f b <= f a.
Proof.
  intros Hab Hd Hneg.
  destruct (Rle_dec (f b) (f a)) as [|Hgt]; [assumption|exfalso].
  set (gap := f b - f a).
  assert (Hg : 0 < gap) by (unfold gap; lra).
  set (eps := gap / (2 * (b - a + 1))).
  assert (He : 0 < eps) by (unfold eps, Rdiv; apply Rmult_lt_0_compat; [lra|apply Rinv_0_lt_compat; lra]).
  pose proof (nonpos_deriv_eps f f' a b eps Hab He Hd Hneg) as H.
  assert (eps * (b - a) < gap).
  { unfold eps. apply (Rmult_lt_reg_r (2 * (b - a + 1))); [lra|].
    replace (gap / (2 * (b - a + 1)) * (b - a) * (2 * (b - a + 1))) with (gap * (b - a)) by (field; lra).
    nra. }
  unfold gap in *. lra.
Qed.

(** The descent lemma: a derivative that is H-Lipschitz gives the descent inequality. *)
Lemma deriv_shift u w : derivable_pt_lim (fun z => z - u) w 1.
Proof.
  replace 1 with (1 - 0) by ring.
  apply (derivable_pt_lim_minus id (fct_cte u) w 1 0);
    [apply derivable_pt_lim_id|apply derivable_pt_lim_const].
Qed.

Lemma holder1_descent ell dell H : holder1_loss ell dell H -> descent_loss ell dell H.
Proof.
  intros [Hd Hl]. split.
  - specialize (Hl 0 1 0). rewrite Rminus_0_r, Rabs_R1 in Hl.
    pose proof (Rabs_pos (dell 0 1 - dell 0 0)). lra.
  - intros y u v.
    set (g2 := fun z => dell y u * (z - u)).
    set (g3 := fun z => H / 2 * ((z - u) * (z - u))).
    set (phi := fun z => ell y z - g2 z - g3 z).
    set (phi' := fun w => dell y w - dell y u * 1 - H / 2 * (1 * (w - u) + (w - u) * 1)).
    assert (Hphi : forall w, derivable_pt_lim phi w (phi' w)).
    { intros w.
      apply (derivable_pt_lim_minus (fun z => ell y z - g2 z) g3).
      - apply (derivable_pt_lim_minus (ell y) g2); [apply Hd|].
        apply (derivable_pt_lim_scal (fun z => z - u)), deriv_shift.
      - apply (derivable_pt_lim_scal (fun z => (z - u) * (z - u))).
        apply (derivable_pt_lim_mult (fun z => z - u) (fun z => z - u)); apply deriv_shift. }
    assert (Eder : forall w, phi' w = dell y w - dell y u - H * (w - u))
      by (intros w; unfold phi'; field).
    assert (Hend : phi v <= phi u).
    { destruct (Rle_dec u v) as [Huv|Huv].
      - apply (nonpos_deriv_le phi phi' u v Huv Hphi). intros w Hw.
        rewrite Eder. specialize (Hl y w u).
        rewrite (Rabs_pos_eq (w - u)) in Hl by lra.
        pose proof (Rle_abs (dell y w - dell y u)). nra.
      - (* v < u: −φ has a nonpositive derivative on [v, u] *)
        assert (Hopp : forall w, derivable_pt_lim (fun z => - phi z) w (- phi' w))
          by (intros w; apply (derivable_pt_lim_opp phi), Hphi).
        assert (Hvu : v <= u) by lra.
        pose proof (nonpos_deriv_le (fun z => - phi z) (fun w => - phi' w) v u Hvu Hopp) as Hm.
        cut (- phi u <= - phi v); [lra|]. apply Hm. intros w Hw.
        rewrite Eder. specialize (Hl y w u).
        rewrite (Rabs_left1 (w - u)) in Hl by lra.
        pose proof (Rle_abs (- (dell y w - dell y u))) as Hn. rewrite Rabs_Ropp in Hn. nra. }
    unfold phi, g2, g3 in Hend. lra.
Qed.

(** The binary cross-entropy ℒ(y, u) = ln(1 + eᵘ) − y u: ℒ' = σ(u) − y is ¼-Lipschitz, so it
    is in the class with H = ¼. The standard library's [ln] rests on
    [Classical_Prop.classic], so these lemmas do (no registry theorem uses them). *)
Definition sigmoid (u : R) : R := exp u / (1 + exp u).
Definition bce (y u : R) : R := ln (1 + exp u) - y * u.
Definition dbce (y u : R) : R := sigmoid u - y.

Lemma exp1_pos u : 0 < 1 + exp u.
Proof. pose proof (exp_pos u). lra. Qed.

Lemma sigmoid_range u : 0 < sigmoid u < 1.
Proof.
  pose proof (exp_pos u) as He. unfold sigmoid. split.
  - apply Rdiv_lt_0_compat; lra.
  - apply (Rmult_lt_reg_r (1 + exp u)); [lra|]. unfold Rdiv. rewrite Rmult_assoc, Rinv_l by lra. lra.
Qed.

Lemma deriv_sigmoid u : derivable_pt_lim sigmoid u (sigmoid u * (1 - sigmoid u)).
Proof.
  pose proof (exp_pos u) as He.
  assert (H : derivable_pt_lim (div_fct exp (plus_fct (fct_cte 1) exp)) u
                ((exp u * (plus_fct (fct_cte 1) exp) u - (0 + exp u) * exp u)
                 / Rsqr ((plus_fct (fct_cte 1) exp) u))).
  { apply (derivable_pt_lim_div exp (plus_fct (fct_cte 1) exp)).
    - apply derivable_pt_lim_exp.
    - apply (derivable_pt_lim_plus (fct_cte 1) exp); [apply derivable_pt_lim_const|apply derivable_pt_lim_exp].
    - unfold plus_fct, fct_cte. lra. }
  unfold plus_fct, fct_cte, Rsqr in H.
  replace (sigmoid u * (1 - sigmoid u))
    with ((exp u * (1 + exp u) - (0 + exp u) * exp u) / ((1 + exp u) * (1 + exp u)))
    by (unfold sigmoid; field; lra).
  exact H.
Qed.

Lemma deriv_bce y u : derivable_pt_lim (bce y) u (dbce y u).
Proof.
  pose proof (exp_pos u) as He.
  assert (H1 : derivable_pt_lim (comp ln (plus_fct (fct_cte 1) exp)) u
                 (/ (1 + exp u) * (0 + exp u))).
  { apply (derivable_pt_lim_comp (plus_fct (fct_cte 1) exp) ln).
    - apply (derivable_pt_lim_plus (fct_cte 1) exp); [apply derivable_pt_lim_const|apply derivable_pt_lim_exp].
    - apply derivable_pt_lim_ln. unfold plus_fct, fct_cte. lra. }
  assert (H2 : derivable_pt_lim (fun z => y * z) u (y * 1))
    by (apply (derivable_pt_lim_scal id), derivable_pt_lim_id).
  unfold bce, dbce.
  replace (sigmoid u - y) with (/ (1 + exp u) * (0 + exp u) - y * 1) by (unfold sigmoid; field; lra).
  apply (derivable_pt_lim_minus (fun z => ln (1 + exp z)) (fun z => y * z)); assumption.
Qed.

Lemma sigmoid_lip u v : Rabs (sigmoid u - sigmoid v) <= / 4 * Rabs (u - v).
Proof.
  assert (Hq : forall w, sigmoid w * (1 - sigmoid w) <= / 4).
  { intros w. pose proof (pow2_ge_0 (sigmoid w - / 2)). nra. }
  assert (Hp : forall w, 0 <= sigmoid w * (1 - sigmoid w)).
  { intros w. pose proof (sigmoid_range w). nra. }
  (* for a ≤ b: 0 ≤ σ(b) − σ(a) ≤ (b − a)/4 *)
  assert (Hab : forall a b, a <= b -> 0 <= sigmoid b - sigmoid a <= / 4 * (b - a)).
  { intros a b Hle. split.
    - assert (Hd : forall w, derivable_pt_lim (fun z => - sigmoid z) w (- (sigmoid w * (1 - sigmoid w))))
        by (intros w; apply (derivable_pt_lim_opp sigmoid), deriv_sigmoid).
      pose proof (nonpos_deriv_le (fun z => - sigmoid z) _ a b Hle Hd) as H.
      cbv beta in H. cut (- sigmoid b <= - sigmoid a); [lra|]. apply H.
      intros w _. pose proof (Hp w). lra.
    - assert (Hd : forall w, derivable_pt_lim (fun z => sigmoid z - / 4 * z) w
                               (sigmoid w * (1 - sigmoid w) - / 4 * 1)).
      { intros w. apply (derivable_pt_lim_minus sigmoid (fun z => / 4 * z)); [apply deriv_sigmoid|].
        apply (derivable_pt_lim_scal id), derivable_pt_lim_id. }
      pose proof (nonpos_deriv_le (fun z => sigmoid z - / 4 * z) _ a b Hle Hd) as H.
      cbv beta in H. cut (sigmoid b - / 4 * b <= sigmoid a - / 4 * a); [lra|]. apply H.
      intros w _. pose proof (Hq w). lra. }
  destruct (Rle_dec u v) as [Huv|Huv].
  - destruct (Hab u v Huv). rewrite Rabs_minus_sym, (Rabs_pos_eq (sigmoid v - sigmoid u)) by lra.
    rewrite Rabs_minus_sym, Rabs_pos_eq by lra. lra.
  - destruct (Hab v u ltac:(lra)). rewrite (Rabs_pos_eq (sigmoid u - sigmoid v)) by lra.
    rewrite Rabs_pos_eq by lra. lra.
Qed.

Lemma bce_holder1 : holder1_loss bce dbce (/ 4).
Proof.
  split; [intros; apply deriv_bce|].
  intros y u v. unfold dbce. replace (sigmoid u - y - (sigmoid v - y)) with (sigmoid u - sigmoid v) by ring.
  apply sigmoid_lip.
Qed.

Lemma bce_descent : descent_loss bce dbce (/ 4).
Proof. apply holder1_descent, bce_holder1. Qed.

(** E θ̂_j = θ_j (the unbiasedness part of [sampling], for every outcome set). *)
Lemma maurey_unbiased m q th j :
  0 < l1 m th -> (0 < q)%nat -> (j < m)%nat ->
  expect m q (mass_prob m th) (fun J => maurey m q th J j) = th j.
Proof.
  intros Ha Hq0 Hj.
  assert (Hq : 0 < INR q) by (apply lt_0_INR; exact Hq0).
  set (a := l1 m th) in *.
  assert (Hp : sum m (mass_prob m th) = 1).
  { unfold mass_prob. unfold Rdiv. rewrite sum_scal_r. fold (l1 m th). fold a. field. lra. }
  unfold expect, maurey.
  rewrite (esum_ext q m _ (fun J => (a / INR q * sgn (th j)) *
                                    (prob (mass_prob m th) J * INR (cnt j J))))
    by (intros; fold a; ring).
  rewrite esum_scal, count_mean by assumption.
  unfold mass_prob. fold a.
  replace (a / INR q * sgn (th j) * (INR q * (Rabs (th j) / a)))
    with (sgn (th j) * Rabs (th j)) by (field; lra).
  apply sgn_abs.
Qed.

(** E Φ̂(x) = Φ(x) at every x. *)
Lemma Phi_unbiased d m q W th x :
  0 < l1 m th -> (0 < q)%nat ->
  expect m q (mass_prob m th) (fun J => Phi d m W (maurey m q th J) x) = Phi d m W th x.
Proof.
  intros Ha Hq.
  unfold expect, Phi.
  rewrite (esum_ext q m _ (fun J => sum m (fun i =>
             prob (mass_prob m th) J * maurey m q th J i * relu (dot d (W i) x))))
    by (intros; rewrite <- sum_scal_l; apply sum_ext; intros; ring).
  rewrite esum_sum. apply sum_ext. intros i Hi.
  rewrite (esum_ext q m _ (fun J => relu (dot d (W i) x) *
             (prob (mass_prob m th) J * maurey m q th J i))) by (intros; ring).
  rewrite esum_scal.
  pose proof (maurey_unbiased m q th i Ha Hq Hi) as Hb. unfold expect in Hb.
  rewrite Hb. ring.
Qed.

(** The linear term averages out: E mean_k g_k (Φ̂(x_k) − Φ(x_k)) = 0 for any weights g. *)
Lemma linear_term_mean0 N d m q X W th (g : nat -> R) :
  0 < l1 m th -> (0 < q)%nat ->
  expect m q (mass_prob m th)
    (fun J => mean N (fun k => g k * (Phi d m W (maurey m q th J) (X k) - Phi d m W th (X k))))
  = 0.
Proof.
  intros Ha Hq.
  assert (Hp : sum m (mass_prob m th) = 1).
  { unfold mass_prob, Rdiv. rewrite sum_scal_r. fold (l1 m th). field. lra. }
  unfold expect.
  rewrite (esum_ext q m _ (fun J => mean N (fun k => prob (mass_prob m th) J *
             (g k * (Phi d m W (maurey m q th J) (X k) - Phi d m W th (X k))))))
    by (intros; rewrite mean_scal; reflexivity).
  rewrite esum_mean.
  rewrite (mean_ext N _ (fun k => 0)).
  - unfold mean. rewrite sum_zero. unfold Rdiv. ring.
  - intros k _.
    rewrite (esum_ext q m _ (fun J => g k * (prob (mass_prob m th) J *
                                             Phi d m W (maurey m q th J) (X k))
                                      + (- (g k * Phi d m W th (X k))) *
                                        prob (mass_prob m th) J))
      by (intros; ring).
    rewrite esum_plus, !esum_scal, prob_total by exact Hp.
    pose proof (Phi_unbiased d m q W th (X k) Ha Hq) as E. unfold expect in E.
    rewrite E. ring.
Qed.

(** The good draw under the descent inequality: F(W, θ̂) ≤ F(W, θ) + (H/2) a² D_X²/q. *)
Lemma good_draw_holder N d m q X Y ell dell H DX kappa W th :
  descent_loss ell dell H -> data_scale N d X DX -> in_ball d m W ->
  0 < l1 m th -> (0 < q)%nat ->
  Fobj N d m X Y ell kappa W (maurey m q th (good_draw N d m q X Y ell kappa W th))
  <= Fobj N d m X Y ell kappa W th + H / 2 * (DX ^ 2 * l1 m th ^ 2 / INR q).
Proof.
  intros [HH Hdesc] HX HW Ha Hq0.
  set (a := l1 m th) in *.
  set (p := mass_prob m th).
  set (score := fun J => Fobj N d m X Y ell kappa W (maurey m q th J)).
  assert (Hp : sum m p = 1).
  { unfold p, mass_prob, Rdiv. rewrite sum_scal_r. fold (l1 m th). fold a. field. lra. }
  assert (Hp0 : forall i, 0 <= p i).
  { intros i. unfold p, mass_prob, Rdiv. apply Rmult_le_pos; [apply Rabs_pos|].
    left. apply Rinv_0_lt_compat. exact Ha. }
  assert (Hz : forall i, ~ th i <> 0 -> p i = 0).
  { intros i Hi. unfold p, mass_prob. destruct (Req_EM_T (th i) 0) as [E|E]; [|contradiction].
    rewrite E, Rabs_R0. unfold Rdiv. ring. }
  assert (Hdec : forall i, th i <> 0 \/ ~ th i <> 0).
  { intros i. destruct (Req_EM_T (th i) 0); [right; intros C; contradiction|left; assumption]. }
  destruct (l1_pos_exists m th Ha) as [i0 [Hi0 Ei0]].
  (* 1. the best outcome of positive probability is below the average *)
  assert (Hbest : score (good_draw N d m q X Y ell kappa W th)
                  <= esum q m (fun J => prob p J * score J)).
  { apply best_below_average; [exact Hp|exact Hp0| |].
    - intros i Si. apply Hz. unfold supp in Si. destruct (Req_EM_T (th i) 0); [|discriminate].
      intros C; contradiction.
    - exists i0. split; [exact Hi0|]. unfold supp. destruct (Req_EM_T (th i0) 0); tauto. }
  (* 2. on outcomes of positive probability the penalty is κ a *)
  assert (Hpt : esum q m (fun J => prob p J * score J)
                = esum q m (fun J => prob p J * (risk N d m X Y ell W (maurey m q th J)
                                                 + kappa * a))).
  { apply (esum_support q m p (fun i => th i <> 0)); [exact Hz|exact Hdec|].
    intros J HJ HLJ. unfold score, Fobj. f_equal. f_equal.
    destruct (sampling m q th J i0 Ha HLJ HJ Hi0 Hq0) as [_ [_ H1]]. exact H1. }
  (* 3. the descent inequality at every sample point, for every outcome *)
  set (g := fun k => dell (Y k) (Phi d m W th (X k))).
  set (lin := fun J => mean N (fun k => g k * (Phi d m W (maurey m q th J) (X k)
                                               - Phi d m W th (X k)))).
  set (err := fun J => mean N (fun k => (Phi d m W (maurey m q th J) (X k)
                                         - Phi d m W th (X k)) ^ 2)).
  assert (Hrisk : forall J, risk N d m X Y ell W (maurey m q th J)
                            <= risk N d m X Y ell W th + lin J + H / 2 * err J).
  { intros J. unfold risk, lin, err. rewrite <- mean_scal, <- !mean_plus.
    apply mean_le. intros k _. apply Hdesc. }
  assert (HE : esum q m (fun J => prob p J * (risk N d m X Y ell W (maurey m q th J)
                                              + kappa * a))
               <= esum q m (fun J => (risk N d m X Y ell W th + kappa * a) * prob p J
                                     + (prob p J * lin J) + H / 2 * (prob p J * err J))).
  { apply esum_le. intros J. pose proof (prob_nonneg p J Hp0) as HPJ.
    pose proof (Hrisk J) as HR.
    assert (prob p J * risk N d m X Y ell W (maurey m q th J)
            <= prob p J * (risk N d m X Y ell W th + lin J + H / 2 * err J))
      by (apply Rmult_le_compat_l; assumption).
    nra. }
  rewrite !esum_plus, !esum_scal, prob_total in HE by exact Hp.
  assert (Hlin : esum q m (fun J => prob p J * lin J) = 0).
  { pose proof (linear_term_mean0 N d m q X W th g Ha Hq0) as E0. unfold expect in E0.
    exact E0. }
  assert (Herr : esum q m (fun J => prob p J * err J) <= DX ^ 2 * a ^ 2 / INR q).
  { pose proof (sampling_variance N d m q X DX W th HX HW Ha Hq0) as HV.
    unfold expect in HV. exact HV. }
  change (Fobj N d m X Y ell kappa W (maurey m q th (good_draw N d m q X Y ell kappa W th)))
    with (score (good_draw N d m q X Y ell kappa W th)).
  assert (H / 2 * esum q m (fun J => prob p J * err J) <= H / 2 * (DX ^ 2 * a ^ 2 / INR q))
    by (apply Rmult_le_compat_l; lra).
  unfold Fobj. fold a. rewrite Hlin in HE. lra.
Qed.

(** The kernel-checked form of ll:sampling's Hölder clause at α = 1 (with the moments). *)
Lemma sampling_holder :
  forall (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R) (H DX kappa : R) (dell : R -> R -> R) (q : nat) (W : nat -> nat -> R) (th : nat -> R) (I : list nat) (j : nat),
    data_scale N d X DX ->
    in_ball d m W ->
    0 < l1 m th ->
    length I = q ->
    (forall i, In i I -> (i < m)%nat /\ th i <> 0) ->
    (j < m)%nat ->
    (0 < q)%nat ->
    (expect m q (mass_prob m th) (fun J => maurey m q th J j) - th j = 0) /\ (expect m q (mass_prob m th) (fun J => mean N (fun k => (Phi d m W (maurey m q th J) (X k) - Phi d m W th (X k)) ^ 2)) <= (DX ^ 2) * (l1 m th ^ 2) / INR q) /\ (holder1_loss ell dell H -> (Fobj N d m X Y ell kappa W (maurey m q th (good_draw N d m q X Y ell kappa W th)) <= (DX ^ 2) * (l1 m th ^ 2) * H / (2 * INR q) + Fobj N d m X Y ell kappa W th)) /\ (l0 m (maurey m q th I) <= INR q) /\ (l1 m (maurey m q th I) = l1 m th).
Proof.
  intros N d m X Y ell H DX kappa dell q W th I j HX HW Ha Hlen HI Hj Hq.
  destruct (sampling_moments N d m q X DX W th I j HX HW Ha Hlen HI Hj Hq) as [Hb [Hv [H0 H1]]].
  assert (HqR : 0 < INR q) by (apply lt_0_INR; exact Hq).
  split; [exact Hb|split; [exact Hv|split; [|split; assumption]]].
  intros Hh. eapply Rle_trans.
  - apply (good_draw_holder N d m q X Y ell dell H); [apply holder1_descent, Hh|exact HX|exact HW|exact Ha|exact Hq].
  - right. field. lra.
Qed.
