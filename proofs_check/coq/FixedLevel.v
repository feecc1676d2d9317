(** ll:thm-fixed-level, the κ ≥ L D_X clause, finite form: the zero network is a global
    minimizer, and every sublevel set {F ≤ λ} (rows in the ball) is connected by finite
    polygonal paths inside it (Paths.v). The path from A = (W_A, θ_A) to B = (W_B, θ_B) is
    A → (W_A, 0) → (W_B, 0) → B: the outer segments move θ only (F convex there,
    ll:convex-output, and F(W, 0) ≤ F(W, θ) ≤ λ by the zero-network lemma); along the
    middle one θ = 0 and F(W, 0) does not depend on W; the rows stay in the ball, which is
    convex. *)
Require Import Reals Lra Lia List.
Require Import RL.Sums RL.Model RL.Statements RL.Paths.
Import ListNotations.
Open Scope R_scope.

Definition fixed_level_path (WA WB : nat -> nat -> R) (thB : nat -> R) : list param :=
  [(WA, zero_theta); (WB, zero_theta); (WB, thB)].

Lemma fixed_level_path_below N d m X Y ell L DX kappa lam WA thA WB thB :
  lipschitz_loss ell L -> convex_loss ell -> data_scale N d X DX -> 0 < kappa ->
  kappa >= DX * L -> in_ball d m WA -> in_ball d m WB ->
  Fobj N d m X Y ell kappa WA thA <= lam -> Fobj N d m X Y ell kappa WB thB <= lam ->
  below (Fp N d m X Y ell kappa) lam (WA, thA) (fixed_level_path WA WB thB).
Proof.
  intros HL HC HX Hk Hkap HA HB HFA HFB.
  pose proof (zero_network_below N d m X Y ell L DX kappa WA thA HL HX HA Hkap) as H0A.
  pose proof (zero_network_below N d m X Y ell L DX kappa WB thB HL HX HB Hkap) as H0B.
  change (fixed_level_path WA WB thB)
    with ([(WA, zero_theta)] ++ [(WB, zero_theta)] ++ [(WB, thB)]).
  rewrite <- (Rmax_left lam lam) by lra.
  apply below_app; [apply theta_seg_below; unfold Fp; simpl; auto; lra|].
  simpl last. rewrite <- (Rmax_left lam lam) by lra.
  apply below_app.
  - apply below_seg_const; [|unfold Fp; simpl; lra].
    intros t _. unfold Fp, seg. simpl. rewrite thlin_same. apply F_zero_W.
  - simpl last. apply theta_seg_below; unfold Fp; simpl; auto; lra.
Qed.

Lemma fixed_level_path_ball d m WA thA WB thB :
  in_ball d m WA -> in_ball d m WB ->
  along (ball_pt d m) (WA, thA) (fixed_level_path WA WB thB).
Proof.
  intros HA HB. apply ball_path; [exact HA|]. simpl. unfold ball_pt. simpl. tauto.
Qed.

Lemma fixed_level_connected :
  forall (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R) (L DX kappa lam : R) (W : nat -> nat -> R) (th : nat -> R),
    lipschitz_loss ell L ->
    convex_loss ell ->
    data_scale N d X DX ->
    in_ball d m W ->
    0 < kappa ->
    (kappa >= DX * L) -> ((Fobj N d m X Y ell kappa W zero_theta <= Fobj N d m X Y ell kappa W th) /\ (forall W' th', in_ball d m W' -> Fobj N d m X Y ell kappa W' zero_theta <= Fobj N d m X Y ell kappa W' th') /\ (forall WA thA WB thB, in_ball d m WA -> in_ball d m WB -> Fobj N d m X Y ell kappa WA thA <= lam -> Fobj N d m X Y ell kappa WB thB <= lam -> exists ps, last ps (WA, thA) = (WB, thB) /\ below (Fp N d m X Y ell kappa) lam (WA, thA) ps /\ along (ball_pt d m) (WA, thA) ps)).
Proof.
  intros N d m X Y ell L DX kappa lam W th HL HC HX HW Hk Hkap.
  split; [|split].
  - apply (zero_network_below N d m X Y ell L DX); assumption.
  - intros W' th' HW'. apply (zero_network_below N d m X Y ell L DX); assumption.
  - intros WA thA WB thB HA HB HFA HFB. exists (fixed_level_path WA WB thB).
    split; [reflexivity|split].
    + apply (fixed_level_path_below N d m X Y ell L DX); assumption.
    + apply fixed_level_path_ball; assumption.
Qed.
