(** ll:thm-finite, finite form: connection through a width-l reference at the bridge level.

    Endpoints A = (W_A, θ_A), B = (W_B, θ_B) with F ≤ λ; robust compressions read as given
    witnesses: (Ŵ_A, γ_A) with rows within r of A's and γ_A (m − l)-sparse, δ_A its F
    (likewise for B); e(l) the F of a given width-l reference (W_r, θ_r); Λ the largest of
    λ, e(l), δ_A, δ_B. The path is

      A → (Ŵ_A, γ_A)                    ll:bridge: rows within r, F ≤ Λ at both ends
        → … → (Ŵ_B, γ_B)                ll:zero-radius's path (ZeroRadius.v) from (Ŵ_A, γ_A)
                                        to (Ŵ_B, γ_B): free-row and convex θ-segments, the
                                        reference embedded in free slots, F ≤ max(e(l), Λ)
        → B                             ll:bridge again,

    so F ≤ Λ + (L D_X/κ) r (Λ − R̲) at every point (the bridge level is ≥ Λ). The
    reference's units are placed in slots free at both ends ([zr_slotsA], [zr_slotsB]), so
    the alignment needs no relabeling (ll:buffer-transfer's moves are not used). *)
Require Import Reals Lra Lia List.
Require Import RL.Sums RL.Model RL.Statements RL.Sampling RL.Paths RL.ZeroRadius.
Import ListNotations.
Open Scope R_scope.

Definition finite_path (m l : nat) (WB WAh WBh Wr : nat -> nat -> R) (gA gB thB thr : nat -> R)
  : list param :=
  ((WAh, gA) :: zr_path m l WAh WBh Wr gA gB gB thr) ++ [(WB, thB)].

Lemma norm_vsub_sym d u v : norm d (vsub u v) = norm d (vsub v u).
Proof. unfold norm, dot, vsub. f_equal. apply sum_ext. intros; ring. Qed.

(** ll:bridge as a one-segment path. *)
Lemma bridge_seg_below N d m X Y ell L DX kappa r Lam Rlow W th W' th' :
  lipschitz_loss ell L -> convex_loss ell -> data_scale N d X DX -> 0 < kappa -> 0 <= r ->
  (forall i, (i < m)%nat -> norm d (vsub (W' i) (W i)) <= r) ->
  risk N d m X Y ell W th >= Rlow -> risk N d m X Y ell W' th' >= Rlow ->
  Fobj N d m X Y ell kappa W th <= Lam -> Fobj N d m X Y ell kappa W' th' <= Lam ->
  below (Fp N d m X Y ell kappa) ((Lam - Rlow) * DX * L * r / kappa + Lam) (W, th) [(W', th')].
Proof.
  intros HL HC HX Hk Hr0 Hr HR HR' HF HF'. apply along_seg. intros t Ht.
  unfold Fp, seg. simpl. apply (bridge N d m X Y ell L DX kappa r Lam Rlow t W W' th th'); assumption.
Qed.

(** The kernel-checked form of ll:thm-finite. *)
Lemma thm_finite :
  forall (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R) (L DX kappa r lam Lam Rlow : R) (l : nat) (WA WB WAh WBh Wr : nat -> nat -> R) (thA thB gA gB thr : nat -> R) (k : nat) (t : R),
    lipschitz_loss ell L ->
    convex_loss ell ->
    data_scale N d X DX ->
    0 < kappa ->
    0 <= r ->
    in_ball d m WA ->
    in_ball d m WB ->
    in_ball d m WAh ->
    in_ball d m WBh ->
    (forall i, (i < m)%nat -> norm d (vsub (WAh i) (WA i)) <= r) ->
    (forall i, (i < m)%nat -> norm d (vsub (WBh i) (WB i)) <= r) ->
    l0 m gA <= INR m - INR l ->
    l0 m gB <= INR m - INR l ->
    risk N d m X Y ell WA thA >= Rlow ->
    risk N d m X Y ell WB thB >= Rlow ->
    risk N d m X Y ell WAh gA >= Rlow ->
    risk N d m X Y ell WBh gB >= Rlow ->
    in_ball d l Wr ->
    (k < length (finite_path m l WB WAh WBh Wr gA gB thB thr))%nat ->
    0 <= t <= 1 ->
    Fobj N d m X Y ell kappa WA thA <= lam ->
    Fobj N d m X Y ell kappa WB thB <= lam ->
    INR l <= INR m ->
    Lam = Rmax (Rmax (Rmax (Fobj N d l X Y ell kappa Wr thr) (Fobj N d m X Y ell kappa WAh gA)) (Fobj N d m X Y ell kappa WBh gB)) lam ->
    Fp N d m X Y ell kappa (path_pt (WA, thA) (finite_path m l WB WAh WBh Wr gA gB thB thr) k t) <= (Lam - Rlow) * DX * L * r / kappa + Lam /\ (last (finite_path m l WB WAh WBh Wr gA gB thB thr) (WA, thA) = (WB, thB)) /\ (along (ball_pt d m) (WA, thA) (finite_path m l WB WAh WBh Wr gA gB thB thr)).
Proof.
  intros N d m X Y ell L DX kappa r lam Lam Rlow l WA WB WAh WBh Wr thA thB gA gB thr k t
         HL HC HX Hk Hr0 HA HB HAh HBh HrA HrB H0A H0B HRA HRB HRAh HRBh Hr Hlen Ht HFA HFB
         Hlm HLam.
  assert (Hle : lam <= Lam /\ Fobj N d l X Y ell kappa Wr thr <= Lam /\
                Fobj N d m X Y ell kappa WAh gA <= Lam /\ Fobj N d m X Y ell kappa WBh gB <= Lam)
    by (rewrite HLam; unfold Rmax; repeat destruct Rle_dec; lra).
  destruct Hle as [Hl [He [HdA HdB]]].
  assert (HFA' : Fobj N d m X Y ell kappa WA thA <= Lam) by lra.
  assert (HFB' : Fobj N d m X Y ell kappa WB thB <= Lam) by lra.
  pose proof (lipschitz_nonneg ell L HL) as HL0. pose proof (proj1 HX) as HD.
  assert (HLR : 0 <= Lam - Rlow).
  { pose proof (l1_nonneg m thA). unfold Fobj in HFA. nra. }
  set (bb := (Lam - Rlow) * DX * L * r / kappa + Lam).
  assert (Hbb : Lam <= bb).
  { unfold bb. assert (0 <= (Lam - Rlow) * DX * L * r / kappa); [|lra].
    unfold Rdiv. apply Rmult_le_pos; [|left; apply Rinv_0_lt_compat, Hk].
    repeat apply Rmult_le_pos; assumption. }
  assert (Hml : (l <= m)%nat) by (apply INR_le, Hlm).
  assert (Hq : INR (m - l) = INR m - INR l) by (apply minus_INR, Hml).
  set (zr := zr_path m l WAh WBh Wr gA gB gB thr).
  assert (Hzr : below (Fp N d m X Y ell kappa) bb (WAh, gA) zr).
  { apply (below_mono _ (Rmax (Fobj N d l X Y ell kappa Wr thr) (0 + Lam)));
      [unfold Rmax; destruct Rle_dec; lra|].
    apply (zero_radius_path N d m X Y ell kappa Lam 0 (m - l) l WAh WBh Wr gA gB gA gB thr);
      try assumption; try lra; try (rewrite Hq; assumption). }
  assert (Hbelow : below (Fp N d m X Y ell kappa) bb (WA, thA)
                     (finite_path m l WB WAh WBh Wr gA gB thB thr)).
  { unfold finite_path. fold zr. apply along_app.
    - apply below_cons; [|exact Hzr].
      apply (bridge_seg_below N d m X Y ell L DX kappa r Lam Rlow); assumption.
    - change (last _ (WA, thA)) with (WBh, gB). apply (bridge_seg_below N d m X Y ell L DX kappa r Lam Rlow);
        try assumption.
      intros i Hi. rewrite norm_vsub_sym. apply HrB, Hi. }
  assert (Hball : along (ball_pt d m) (WA, thA) (finite_path m l WB WAh WBh Wr gA gB thB thr)).
  { unfold finite_path. fold zr. apply along_app.
    - apply (along_app _ (WA, thA) [(WAh, gA)] zr); [apply ball_seg; assumption|].
      simpl last. apply (zero_radius_ball d m l WAh WBh Wr gA gB gA gB thr (m - l));
        try assumption; try (rewrite Hq; assumption).
    - change (last _ (WA, thA)) with (WBh, gB). apply ball_seg; assumption. }
  split; [|split; [|exact Hball]].
  - apply (along_pt (fun p => Fp N d m X Y ell kappa p <= bb)); [exact Hbelow|exact Hlen|exact Ht].
  - unfold finite_path. rewrite last_app. reflexivity.
Qed.
