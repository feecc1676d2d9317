(** ll:sampling, the Hölder clause at α = 1, finite form.

    The loss class is the descent inequality
      ℒ(y, v) ≤ ℒ(y, u) + ℒ'(y, u)(v − u) + (H/2)(v − u)²,  H ≥ 0,
    with ℒ' any function of (y, u) ([descent_loss]). It is an identity for the
    half-squared loss (H = 1, [half_squared_descent]); it holds for the Huber loss
    (H = 1, [huber_descent]); and every loss differentiable in u whose derivative is
    H-Lipschitz (Hölder with α = 1) is in it ([holder1_descent], by the mean value
    theorem; the standard library's MVT also rests on [Classical_Prop.classic], so the
    registry theorem takes the descent inequality itself as the loss class and
    [holder1_descent] is outside it).

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
    assert (Hphi : forall w, derivable_pt_lim phi w
                               (dell y w - dell y u * 1 - H / 2 * (1 * (w - u) + (w - u) * 1))).
    { intros w.
      apply (derivable_pt_lim_minus (fun z => ell y z - g2 z) g3).
      - apply (derivable_pt_lim_minus (ell y) g2); [apply Hd|].
        apply (derivable_pt_lim_scal (fun z => z - u)), deriv_shift.
      - apply (derivable_pt_lim_scal (fun z => (z - u) * (z - u))).
        apply (derivable_pt_lim_mult (fun z => z - u) (fun z => z - u)); apply deriv_shift. }
    assert (pr : derivable phi).
    { intros w. exists (dell y w - dell y u * 1 - H / 2 * (1 * (w - u) + (w - u) * 1)).
      apply Hphi. }
    assert (Hder : forall w, derive_pt phi w (pr w) = dell y w - dell y u - H * (w - u)).
    { intros w. rewrite (derive_pt_eq_0 phi w _ (pr w) (Hphi w)). field. }
    assert (Hend : phi v <= phi u).
    { destruct (Rtotal_order u v) as [Huv|[Huv|Huv]].
      - destruct (MVT_cor1 phi u v pr Huv) as [c [Hc Hcr]].
        rewrite Hder in Hc. specialize (Hl y c u).
        rewrite (Rabs_pos_eq (c - u)) in Hl by lra.
        pose proof (Rle_abs (dell y c - dell y u)). nra.
      - subst. lra.
      - destruct (MVT_cor1 phi v u pr Huv) as [c [Hc Hcr]].
        rewrite Hder in Hc. specialize (Hl y c u).
        rewrite (Rabs_left (c - u)) in Hl by lra.
        pose proof (Rle_abs (- (dell y c - dell y u))) as Hn. rewrite Rabs_Ropp in Hn. nra. }
    unfold phi, g2, g3 in Hend. lra.
Qed.

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
    (descent_loss ell dell H -> (Fobj N d m X Y ell kappa W (maurey m q th (good_draw N d m q X Y ell kappa W th)) <= (DX ^ 2) * (l1 m th ^ 2) * H / (2 * INR q) + Fobj N d m X Y ell kappa W th)) /\ (expect m q (mass_prob m th) (fun J => maurey m q th J j) - th j = 0) /\ (expect m q (mass_prob m th) (fun J => mean N (fun k => (Phi d m W (maurey m q th J) (X k) - Phi d m W th (X k)) ^ 2)) <= (DX ^ 2) * (l1 m th ^ 2) / INR q) /\ (l0 m (maurey m q th I) <= INR q) /\ (l1 m (maurey m q th I) = l1 m th).
Proof.
  intros N d m X Y ell H DX kappa dell q W th I j HX HW Ha Hlen HI Hj Hq.
  destruct (sampling_moments N d m q X DX W th I j HX HW Ha Hlen HI Hj Hq) as [Hb [Hv [H0 H1]]].
  assert (HqR : 0 < INR q) by (apply lt_0_INR; exact Hq).
  split; [|repeat split; assumption].
  intros Hh. eapply Rle_trans.
  - apply (good_draw_holder N d m q X Y ell dell H); [exact Hh|exact HX|exact HW|exact Ha|exact Hq].
  - right. field. lra.
Qed.
