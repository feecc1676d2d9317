(** ll:thm-fixed-level, the O(1/m) rate, finite form.

    Endpoints A = (W_A, θ_A), B = (W_B, θ_B) with F ≤ λ and rows in the ball; λ > e_∞ is
    used as the proof uses it: a fixed width l ≤ m with e(l) < λ, here a given width-l
    reference (W_r, θ_r) with F < λ. At each end ll:pruning removes the l smallest masses
    ([smallest_rm]: chosen one by one, each the smallest |θ_i| still kept), leaving
    ‖θ_pr‖₀ ≤ m − l ([l0_prune]) and F ≤ λ + (L D_X − κ)₊ (l/m) ‖θ‖₁ ≤ λ + C/m with
    C = (L D_X − κ)₊ l (λ − R̲)/κ (ll:l1-control). ll:zero-radius's path through the two
    pruned points (ZeroRadius.v) then has F ≤ max(F_r, λ + C/m) = λ + C/m at every point:
    F − λ ≤ C/m, with C independent of m.

    The Hölder rate at α = 1 ([fixed_level_holder]; ℒ' H-Lipschitz, ℒ ≥ 0): ll:thm-dimfree's
    path with q = m − l ≥ 1 and λ̄ = λ has F − λ ≤ max((H/2) D_X² λ²/(κ² q), F_r − λ) =
    (H/2) D_X² λ²/(κ² q), and m ≤ (l + 1) q, so F − λ ≤ C_h/m with
    C_h = (l + 1) H D_X² λ²/(2κ²). *)
Require Import Reals Lra Lia List.
Require Import RL.Sums RL.Model RL.Statements RL.Sampling RL.GoodDraw RL.Paths RL.ZeroRadius.
Require Import RL.SamplingHolder RL.Dimfree.
Open Scope R_scope.

(* ------------------------------------------------- the l smallest masses, chosen *)

(** Remove l units one by one, each time the kept unit of smallest |θ_i|. *)
Fixpoint smallest_rm (m l : nat) (th : nat -> R) : nat -> bool :=
  match l with
  | O => fun _ => false
  | S l' =>
      let rm := smallest_rm m l' th in
      match argmin m (fun i => negb (rm i)) (fun i => Rabs (th i)) with
      | Some j => fun i => orb (rm i) (Nat.eqb i j)
      | None => rm
      end
  end.

Lemma count_S m rm : count (S m) rm = count m rm + (if rm m then 1 else 0).
Proof. reflexivity. Qed.

Lemma count_le m rm : count m rm <= INR m.
Proof.
  induction m as [|m IH]; [unfold count; simpl; lra|].
  rewrite count_S, S_INR. destruct (rm m); lra.
Qed.

Lemma kept_exists m rm : count m rm < INR m -> exists i, (i < m)%nat /\ rm i = false.
Proof.
  induction m as [|m IH]; intros H; [unfold count in H; simpl in H; lra|].
  rewrite count_S, S_INR in H. destruct (rm m) eqn:E.
  - destruct (IH ltac:(lra)) as [i [Hi Ei]]. exists i. split; [lia|exact Ei].
  - exists m. split; [lia|exact E].
Qed.

Lemma count_add m rm j :
  (j < m)%nat -> rm j = false ->
  count m (fun i => orb (rm i) (Nat.eqb i j)) = count m rm + 1.
Proof.
  intros Hj Ej. unfold count.
  rewrite (sum_ext m _ (fun i => (if rm i then 1 else 0) + (if Nat.eqb i j then 1 else 0))).
  - rewrite sum_plus, sum_point by exact Hj. reflexivity.
  - intros i _. destruct (rm i) eqn:Ei; destruct (Nat.eqb_spec i j); subst; simpl;
      try congruence; ring.
Qed.

Lemma smallest_rm_count m l th : (l <= m)%nat -> count m (smallest_rm m l th) = INR l.
Proof.
  induction l as [|l IH]; intros Hl.
  - unfold count. simpl. apply sum_zero.
  - rewrite S_INR. cbn [smallest_rm]. set (rm := smallest_rm m l th).
    assert (Hc : count m rm = INR l) by (apply IH; lia).
    assert (Hlt : count m rm < INR m) by (rewrite Hc; apply lt_INR; lia).
    destruct (kept_exists m rm Hlt) as [i [Hi Ei]].
    destruct (argmin_some m (fun i => negb (rm i)) (fun i => Rabs (th i)) i Hi)
      as [j Hj]; [rewrite Ei; reflexivity|].
    rewrite Hj. destruct (argmin_spec _ _ _ _ Hj) as [Hjm [Oj _]].
    rewrite count_add; [rewrite Hc; ring|exact Hjm|].
    destruct (rm j); [discriminate|reflexivity].
Qed.

Lemma smallest_rm_mass m l th : smallest_mass m (smallest_rm m l th) th.
Proof.
  induction l as [|l IH]; intros i k Hi Hk Ri Rk; [discriminate|].
  simpl in Ri, Rk. set (rm := smallest_rm m l th) in *.
  destruct (argmin m (fun i => negb (rm i)) (fun i => Rabs (th i))) as [j|] eqn:Hj;
    [|exact (IH i k Hi Hk Ri Rk)].
  destruct (argmin_spec _ _ _ _ Hj) as [_ [_ Hmin]].
  apply Bool.orb_false_iff in Rk. destruct Rk as [Rk Kj].
  apply Bool.orb_true_iff in Ri. destruct Ri as [Ri|Ij].
  - exact (IH i k Hi Hk Ri Rk).
  - apply Nat.eqb_eq in Ij. subst i. apply Hmin; [exact Hk|rewrite Rk; reflexivity].
Qed.

(** The pruned vector has at most m − l nonzero entries. *)
Lemma l0_prune m rm th : l0 m (prune rm th) <= INR m - count m rm.
Proof.
  unfold l0, count. rewrite <- (Rmult_1_r (INR m)), <- sum_const, <- sum_minus.
  apply sum_le. intros i _. unfold prune.
  destruct (rm i); destruct (Req_EM_T _ 0) as [E|E]; try lra. all: exfalso; apply E; reflexivity.
Qed.

(** The pruned end: the l smallest masses removed. *)
Definition pruned_end (m l : nat) (th : nat -> R) : nat -> R := prune (smallest_rm m l th) th.

Lemma pruned_end_l0 m l th : (l <= m)%nat -> l0 m (pruned_end m l th) <= INR m - INR l.
Proof.
  intros Hl. unfold pruned_end. rewrite <- (smallest_rm_count m l th Hl). apply l0_prune.
Qed.

Lemma pruned_end_F N d m X Y ell L DX kappa Rlow lam l W th :
  lipschitz_loss ell L -> data_scale N d X DX -> in_ball d m W -> 0 < kappa -> (l <= m)%nat ->
  risk N d m X Y ell W th >= Rlow -> Fobj N d m X Y ell kappa W th <= lam ->
  Fobj N d m X Y ell kappa W (pruned_end m l th)
  <= (Rmax (DX * L - kappa) 0 * INR l * (lam - Rlow) / kappa) / INR m + lam.
Proof.
  intros HL HX HW Hk Hl HR HF.
  pose proof (pruning N d m X Y ell L DX kappa W th (smallest_rm m l th) l HL HX HW
                (smallest_rm_count m l th Hl) (smallest_rm_mass m l th)) as HP.
  assert (Ha : l1 m th <= (lam - Rlow) / kappa).
  { apply (l1_control N d m X Y ell kappa lam Rlow W th Hk); [exact HF|unfold Fobj; ring|exact HR]. }
  pose proof (Rmax_r (DX * L - kappa) 0) as Hmx. pose proof (pos_INR l) as Hl0.
  assert (Hc : Rmax (DX * L - kappa) 0 * INR l * l1 m th / INR m
               <= Rmax (DX * L - kappa) 0 * INR l * ((lam - Rlow) / kappa) / INR m).
  { unfold Rdiv. apply Rmult_le_compat_r; [apply inv_INR_nonneg|].
    apply Rmult_le_compat_l; [apply Rmult_le_pos; assumption|exact Ha]. }
  replace ((Rmax (DX * L - kappa) 0 * INR l * (lam - Rlow) / kappa) / INR m)
    with (Rmax (DX * L - kappa) 0 * INR l * ((lam - Rlow) / kappa) / INR m)
    by (unfold Rdiv; ring).
  unfold pruned_end. lra.
Qed.

(* ------------------------------------------------------------------ the path *)

(** ll:zero-radius's path through the two pruned ends. *)
Definition rate_path (m l : nat) (WA WB Wr : nat -> nat -> R) (thA thB thr : nat -> R)
  : list param :=
  zr_path m l WA WB Wr (pruned_end m l thA) (pruned_end m l thB) thB thr.

(** The kernel-checked form of ll:thm-fixed-level's O(1/m) rate. *)
Lemma fixed_level_rate :
  forall (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R) (L DX kappa lam Rlow : R) (l : nat) (WA WB Wr : nat -> nat -> R) (thA thB thr : nat -> R) (k : nat) (t : R),
    lipschitz_loss ell L ->
    convex_loss ell ->
    data_scale N d X DX ->
    0 < kappa ->
    in_ball d m WA ->
    in_ball d m WB ->
    Fobj N d m X Y ell kappa WA thA <= lam ->
    Fobj N d m X Y ell kappa WB thB <= lam ->
    risk N d m X Y ell WA thA >= Rlow ->
    risk N d m X Y ell WB thB >= Rlow ->
    in_ball d l Wr ->
    (l <= m)%nat ->
    (k < length (rate_path m l WA WB Wr thA thB thr))%nat ->
    0 <= t <= 1 ->
    lam > Fobj N d l X Y ell kappa Wr thr ->
    Fp N d m X Y ell kappa (path_pt (WA, thA) (rate_path m l WA WB Wr thA thB thr) k t) - lam <= (Rmax (DX * L - kappa) 0 * INR l * (lam - Rlow) / kappa) / INR m /\ (last (rate_path m l WA WB Wr thA thB thr) (WA, thA) = (WB, thB)) /\ (along (ball_pt d m) (WA, thA) (rate_path m l WA WB Wr thA thB thr)).
Proof.
  intros N d m X Y ell L DX kappa lam Rlow l WA WB Wr thA thB thr k t
         HL HC HX Hk HA HB HFA HFB HRA HRB Hr Hl Hlen Ht Her.
  unfold rate_path in *.
  set (eps := (Rmax (DX * L - kappa) 0 * INR l * (lam - Rlow) / kappa) / INR m).
  assert (Hlr : 0 <= lam - Rlow).
  { pose proof (l1_nonneg m thA). unfold Fobj in HFA. nra. }
  assert (He : 0 <= eps).
  { unfold eps, Rdiv. apply Rmult_le_pos; [|apply inv_INR_nonneg].
    apply Rmult_le_pos; [|left; apply Rinv_0_lt_compat, Hk].
    apply Rmult_le_pos; [apply Rmult_le_pos; [apply Rmax_r|apply pos_INR]|exact Hlr]. }
  assert (Hq : INR (m - l) = INR m - INR l) by (apply minus_INR, Hl).
  pose proof (pruned_end_F N d m X Y ell L DX kappa Rlow lam l WA thA HL HX HA Hk Hl HRA HFA)
    as HdA.
  pose proof (pruned_end_F N d m X Y ell L DX kappa Rlow lam l WB thB HL HX HB Hk Hl HRB HFB)
    as HdB.
  fold eps in HdA, HdB.
  destruct (zero_radius N d m X Y ell kappa lam eps (m - l) l WA WB Wr thA thB
              (pruned_end m l thA) (pruned_end m l thB) thr k t HC Hk He)
    as [Hpt [Hlast Hball]];
    try (rewrite Hq; apply pruned_end_l0, Hl); try assumption; try lra.
  split; [|split; assumption].
  fold eps. unfold Rmax in Hpt. destruct (Rle_dec _ _) in Hpt; lra.
Qed.

(** The kernel-checked form of ll:thm-fixed-level's Hölder rate at α = 1. *)
Lemma fixed_level_holder :
  forall (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R) (H DX kappa lam : R) (dell : R -> R -> R) (l : nat) (WA WB Wr : nat -> nat -> R) (thA thB thr : nat -> R) (k : nat) (t : R),
    convex_loss ell ->
    data_scale N d X DX ->
    0 < kappa ->
    in_ball d m WA ->
    in_ball d m WB ->
    Fobj N d m X Y ell kappa WA thA <= lam ->
    Fobj N d m X Y ell kappa WB thB <= lam ->
    in_ball d l Wr ->
    (l < m)%nat ->
    (k < length (dimfree_path N d m (m - l) l X Y ell kappa WA thA WB thB Wr thr))%nat ->
    0 <= t <= 1 ->
    lam > Fobj N d l X Y ell kappa Wr thr ->
    (holder1_loss ell dell H /\ nonneg_loss ell) -> (Fp N d m X Y ell kappa (path_pt (WA, thA) (dimfree_path N d m (m - l) l X Y ell kappa WA thA WB thB Wr thr) k t) - lam <= (INR (S l) * H * DX ^ 2 * lam ^ 2 / (2 * kappa ^ 2)) / INR m).
Proof.
  intros N d m X Y ell H DX kappa lam dell l WA WB Wr thA thB thr k t
         HC HX Hk HA HB HFA HFB Hr Hlm Hlen Ht Her [HD Hn].
  pose proof (proj1 (holder1_descent ell dell H HD)) as HH.
  assert (Hq0 : (0 < m - l)%nat) by lia.
  assert (Hq : INR (m - l) = INR m - INR l) by (apply minus_INR; lia).
  assert (HqR : 0 < INR (m - l)) by (apply lt_0_INR, Hq0).
  pose proof (dimfree_holder N d m X Y ell H DX kappa lam lam dell (m - l) l WA WB Wr thA thB thr
                k t HC HX Hk HA HB Hr Hq0 Hlen Ht HFA HFB Hq (Rle_refl lam) (conj HD Hn)) as Hb.
  set (K := DX ^ 2 * lam ^ 2 * H / (kappa ^ 2 * 2)).
  assert (HK : 0 <= K).
  { unfold K, Rdiv. apply Rmult_le_pos; [|left; apply Rinv_0_lt_compat; nra].
    apply Rmult_le_pos; [apply Rmult_le_pos; apply pow2_ge_0|exact HH]. }
  assert (E : DX ^ 2 * lam ^ 2 * H / (kappa ^ 2 * 2 * INR (m - l)) = K / INR (m - l))
    by (unfold K; field; split; lra).
  rewrite E in Hb.
  assert (Hpos : 0 <= K / INR (m - l)) by (unfold Rdiv; apply Rmult_le_pos; [exact HK|];
                                           left; apply Rinv_0_lt_compat, HqR).
  assert (Hb' : Fp N d m X Y ell kappa (path_pt (WA, thA)
                  (dimfree_path N d m (m - l) l X Y ell kappa WA thA WB thB Wr thr) k t) - lam
                <= K / INR (m - l))
    by (unfold Rmax in Hb; destruct Rle_dec in Hb; lra).
  assert (Hm : 0 < INR m) by (apply lt_0_INR; lia).
  (* m ≤ (l + 1)(m − l) for m > l *)
  assert (Hml : INR m <= INR (S l) * INR (m - l)).
  { rewrite Hq, S_INR. assert (Hl1 : INR l + 1 <= INR m) by (rewrite <- S_INR; apply le_INR; lia).
    pose proof (pos_INR l). nra. }
  assert (Hfin : K / INR (m - l) <= (INR (S l) * H * DX ^ 2 * lam ^ 2 / (2 * kappa ^ 2)) / INR m).
  { replace ((INR (S l) * H * DX ^ 2 * lam ^ 2 / (2 * kappa ^ 2)) / INR m)
      with (INR (S l) * K / INR m) by (unfold K; field; split; lra).
    apply (Rmult_le_reg_r (INR m * INR (m - l))); [nra|].
    replace (K / INR (m - l) * (INR m * INR (m - l))) with (K * INR m) by (field; lra).
    replace (INR (S l) * K / INR m * (INR m * INR (m - l))) with (K * (INR (S l) * INR (m - l)))
      by (field; lra).
    apply Rmult_le_compat_l; assumption. }
  lra.
Qed.
